import type { RelatedInfo } from '../../../engine/finding';
import { fix } from './fix';
import { isPlaceholder } from '../../../fixes/aiml-terraform';
import { defineRule, stringListParam } from '../../../engine/rule';
import type { HclBlock } from '../../../model/hcl';
import { isDataAsset } from '../../../terraform/dataAsset';
import { address, hasDynamic, header, nestedBlocks, resourceType, valueOf } from '../../../terraform/module';
import { readArg } from '../../../terraform/gcp';

interface Params {
  must_be_in_workspace: boolean;
  require_admin_read: boolean;
  allowed_exemptions: string[];
}

const AUDIT_TYPES = ['google_project_iam_audit_config', 'google_folder_iam_audit_config', 'google_organization_iam_audit_config'];

export default defineRule<Params>({
  id: 'tf-gcp-aiplatform-data-access-logs',
  title: 'Data Access audit logs are on for Vertex AI (and data-asset buckets)',
  severity: 'high',
  domain: 'terraform',
  ai: true,
  mappings: { cis: ['GCP Foundations v2.0 2.1'], nist: ['AU-2', 'AU-12'], euAiAct: ['Art.12', 'Art.19'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      must_be_in_workspace: {
        type: 'boolean',
        default: false,
        description: 'Report a missing audit config as a high finding instead of an info note (audit configs are project/folder/org-wide and may be managed in another stack).',
      },
      require_admin_read: { type: 'boolean', default: false, description: 'Also require ADMIN_READ among the logged types.' },
      allowed_exemptions: stringListParam([], 'Members that may appear in audit_log_config.exempted_members.'),
    },
  },
  fix,
  check({ module, params, report, unknown }) {
    const vertex = module.resources().filter((r) => resourceType(r).startsWith('google_vertex_ai_') || resourceType(r) === 'google_workbench_instance');
    const assets = module.resources('google_storage_bucket').filter((b) => isDataAsset(module, b));
    const configs = AUDIT_TYPES.flatMap((t) => [...module.resources(t)]);
    const required = ['DATA_READ', 'DATA_WRITE', ...(params.require_admin_read ? ['ADMIN_READ'] : [])];

    // An allServices config serves both checks: report each of its values once.
    const seen = new Set<unknown>();
    const once = (x: unknown) => !seen.has(x) && !!seen.add(x);
    const checkService = (service: string, first: HclBlock, what: string) => {
      let maybe = false;
      const candidates: HclBlock[] = [];
      for (const c of configs) {
        const s = readArg(module, c, c, 'service');
        if (s.kind === 'unknown') maybe = true;
        else if (s.kind === 'known' && (s.value === service || s.value === 'allServices')) candidates.push(c);
      }
      if (candidates.length === 0) {
        if (maybe) return unknown(header(first), `the service of an audit config in the workspace cannot be evaluated`);
        return report({
          at: header(first),
          severity: params.must_be_in_workspace ? 'high' : 'info',
          message: `${address(first)} ${what}, but no audit config enabling Data Access logs for ${service} was found in this workspace; it may be managed elsewhere. Data Access logs are off by default: reads and writes of models and data are not recorded. Add google_project_iam_audit_config for ${service} with DATA_READ and DATA_WRITE.`,
          data: { fix: 'add-resource', template: 'QF-9', service },
        });
      }
      for (const c of candidates) {
        const project = readArg(module, c, c, 'project');
        if (project.kind === 'known' && isPlaceholder(project.value) && once(project.attr))
          report({
            at: valueOf(project.attr),
            message: `project of ${address(c)} is still the REPLACE_ME placeholder: the audit config covers no project until it names the one holding the ${service} resources.`,
            data: { fix: 'none', reason: 'replace the placeholder' },
          });
      }
      const logged = new Set<string>();
      let unknownType = false;
      for (const c of candidates) {
        if (hasDynamic(c, 'audit_log_config')) unknownType = true;
        for (const alc of nestedBlocks(c, 'audit_log_config')) {
          const t = readArg(module, c, alc, 'log_type');
          if (t.kind === 'unknown') {
            if (once(t.attr)) unknown(valueOf(t.attr), t.value.origin);
            unknownType = true;
          } else if (t.kind === 'known' && typeof t.value === 'string') logged.add(t.value);
          const ex = readArg(module, c, alc, 'exempted_members');
          if (ex.kind !== 'absent' && !once(ex.attr)) continue;
          if (ex.kind === 'unknown') unknown(valueOf(ex.attr), ex.value.origin);
          else if (ex.kind === 'known' && Array.isArray(ex.value)) {
            const extra = ex.value.filter((m) => typeof m === 'string' && !params.allowed_exemptions.includes(m));
            if (extra.length)
              report({
                at: valueOf(ex.attr),
                message: `${address(c)} exempts ${extra.map((m) => JSON.stringify(m)).join(', ')} from ${t.kind === 'known' ? String(t.value) : 'audit'} logging: their access to models and data leaves no trace. Remove the exemption, or list it in allowed_exemptions if it is approved.`,
                data: { fix: 'delete', attribute: 'exempted_members', values: extra },
              });
          }
        }
      }
      const missing = required.filter((r) => !logged.has(r));
      if (missing.length === 0) return;
      if (unknownType) return;
      const related: RelatedInfo[] = candidates.map((c) => ({ at: header(c), message: `Audit config: ${address(c)}` }));
      report({
        at: header(first),
        message: `Data Access audit logging for ${service} does not cover ${missing.join(', ')}: ${address(first)} ${what}, and its data access is not fully recorded. Add audit_log_config { log_type = "${missing[0]}" }${missing.length > 1 ? ' (and the others)' : ''} to the audit config.`,
        related,
        data: { fix: 'insert', block: 'audit_log_config', values: missing, resource: address(candidates[0]!) },
      });
    };

    if (vertex[0]) checkService('aiplatform.googleapis.com', vertex[0], 'uses Vertex AI');
    if (assets[0]) checkService('storage.googleapis.com', assets[0], 'is a data-asset bucket');
  },
});
