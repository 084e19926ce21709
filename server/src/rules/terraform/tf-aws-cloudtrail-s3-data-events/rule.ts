import { defineRule } from '../../../engine/rule';
import { fixDataEvents } from './fix';
import { s3DataEventCoverage } from '../../../terraform/aws/cloudtrail';
import { isDataAsset, ownTags } from '../../../terraform/dataAsset';
import { address, attribute, header, valueOf } from '../../../terraform/module';

interface Params {
  require_read_and_write: boolean;
  must_be_in_workspace: boolean;
}

export default defineRule<Params>({
  id: 'tf-aws-cloudtrail-s3-data-events',
  title: 'CloudTrail logs object-level events of data-asset buckets',
  severity: 'high',
  domain: 'terraform',
  ai: true,
  mappings: { cis: ['AWS Foundations v1.5.0 3.10', 'AWS Foundations v1.5.0 3.11'], nist: ['AU-2', 'AU-12'], euAiAct: ['Art.10', 'Art.12'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      require_read_and_write: {
        type: 'boolean',
        default: true,
        description: 'Require both read and write data events (read_write_type = "All"); ReadOnly or WriteOnly selectors then fail.',
      },
      must_be_in_workspace: {
        type: 'boolean',
        default: false,
        description: 'When no aws_cloudtrail exists in the workspace, report a finding instead of an info note (the trail may be managed elsewhere, e.g. an organization trail).',
      },
    },
  },
  fix: fixDataEvents,
  check({ module, params, report, unknown }) {
    for (const bucket of module.resources('aws_s3_bucket')) {
      if (!isDataAsset(module, bucket)) {
        const tags = attribute(bucket, 'tags');
        if (tags && !ownTags(module, bucket)) unknown(valueOf(tags), `tags of ${address(bucket)} cannot be evaluated (data asset?)`);
        continue;
      }
      const arn = `\${${address(bucket)}.arn}/`;
      const coverage = s3DataEventCoverage(module, bucket);
      switch (coverage.kind) {
        case 'covered':
          break;
        case 'unknown':
          unknown(coverage.at, coverage.origin);
          break;
        case 'no-trail':
          report({
            at: header(bucket),
            severity: params.must_be_in_workspace ? 'high' : 'info',
            message: `No aws_cloudtrail in this workspace logs S3 data events for data-asset bucket ${address(bucket)}; it may be managed elsewhere (an organization trail). Object-level reads and writes of datasets and models must be logged: add a trail with an event_selector { data_resource { type = "AWS::S3::Object", values = ["${arn}"] } }.`,
            data: { fix: 'none', reason: 'no trail in the workspace' },
          });
          break;
        case 'partial':
          if (params.require_read_and_write)
            report({
              at: coverage.at,
              related: [{ at: header(bucket), message: `Data-asset bucket: ${address(bucket)}` }],
              message: `${address(coverage.trail)} logs only ${coverage.value} data events for ${address(bucket)}: ${coverage.value === 'ReadOnly' ? 'changes to' : 'reads of'} datasets and models are not recorded. Log both: read_write_type = "All".`,
              data: { fix: 'set', attribute: 'read_write_type', value: 'All' },
            });
          break;
        case 'not-covered':
          report({
            at: header(bucket),
            related: coverage.trails.map((t) => ({ at: header(t), message: `Trail without S3 data events for this bucket: ${address(t)}` })),
            message: `No CloudTrail trail logs object-level (data) events of data-asset bucket ${address(bucket)}: who read or overwrote a dataset or model cannot be traced. Add "${arn}" to a trail's event_selector { data_resource { type = "AWS::S3::Object" } } values with read_write_type = "All".`,
            data:
              coverage.trails.length === 1
                ? { fix: 'insert', resource: address(coverage.trails[0]!), block: 'event_selector.data_resource', attribute: 'values', value: arn }
                : { fix: 'none', reason: 'which trail should log the bucket is intent' },
          });
          break;
      }
    }
  },
});
