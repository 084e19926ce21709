import { freeName, insertBlocks, primaryBlock } from '../../../fixes/aiml-terraform';
import { addBlockAfter, resourceLines } from '../../../fixes/hcl';
import type { Fix, TerraformFixContext } from '../../../fixes/types';
import { PLACEHOLDER } from '../../../fixes/types';

const AUDIT_CONFIG = 'google_project_iam_audit_config';

interface Params {
  require_admin_read?: boolean;
}

/**
 * QF-9: a project audit config for the service after the resource the
 * finding is on (project-wide, so no count/for_each), with the project taken
 * from that resource when it names one. Otherwise, the missing log types are
 * added to the existing audit config.
 */
export function fix(ctx: TerraformFixContext<Params>): Fix[] {
  const { data } = ctx;
  if (data.template === 'QF-9' && typeof data.service === 'string') return addAuditConfig(ctx, data.service);
  if (data.fix === 'insert' && data.block === 'audit_log_config' && Array.isArray(data.values)) return addLogTypes(ctx, data.values as string[]);
  return [];
}

function addAuditConfig(ctx: TerraformFixContext<Params>, service: string): Fix[] {
  const first = primaryBlock(ctx);
  if (!first) return [];
  const project = first.body.attributes.find((a) => a.name === 'project')?.expr.source ?? `"${PLACEHOLDER}"`;
  const types = ['DATA_READ', 'DATA_WRITE', ...(ctx.params.require_admin_read ? ['ADMIN_READ'] : [])];
  const name = freeName(ctx.module, AUDIT_CONFIG, service.split('.')[0]!);
  const lines = resourceLines(AUDIT_CONFIG, name, [
    `project = ${project}`,
    `service = "${service}"`,
    ...types.flatMap((t) => ['audit_log_config {', `  log_type = "${t}"`, '}']),
  ]);
  return [
    {
      title: `Add ${AUDIT_CONFIG}.${name} (${types.join(', ')} for ${service})`,
      edits: [addBlockAfter(ctx.file, first, lines)],
      ...(project.includes(PLACEHOLDER) ? { placeholder: true } : {}),
    },
  ];
}

function addLogTypes(ctx: TerraformFixContext<Params>, types: readonly string[]): Fix[] {
  const config = primaryBlock(ctx);
  if (!config || types.length === 0) return [];
  const edit = insertBlocks(ctx.file, config, types.map((t) => ({ header: 'audit_log_config', body: [`log_type = "${t}"`] })));
  return [{ title: `Add audit_log_config for ${types.join(', ')} to ${config.labels.map((l) => l.value).join('.')}`, edits: [edit] }];
}
