import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [{ name: 'fixture pass.tf (VPC peering; PSC with allowlist; network from a variable)', code: fixture(__dirname, 'pass.tf') }],
  invalid: [
    {
      name: 'fixture fail.tf (public with dedicated endpoint: high; PSC without allowlist: medium)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:46', severity: 'high', message: 'dedicated_endpoint_enabled only' },
        { at: '8:1-8:48', severity: 'medium', message: 'without a project_allowlist' },
      ],
    },
    {
      name: 'with report_unknown, a network from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '23:18-23:38', severity: 'info', message: /could not evaluate tf-gcp-vertex-endpoint-private: .*var\.endpoint_network/ }],
    },
    {
      name: 'PSC switched off is public',
      code: 'resource "google_vertex_ai_endpoint" "e" {\n  private_service_connect_config {\n    enable_private_service_connect = false\n    project_allowlist              = ["p"]\n  }\n}\n',
      errors: [{ at: '1:1-1:41', severity: 'high', message: 'public endpoint' }],
    },
    {
      name: 'PSC with an empty allowlist (medium)',
      code: 'resource "google_vertex_ai_endpoint" "e" {\n  private_service_connect_config {\n    enable_private_service_connect = true\n    project_allowlist              = []\n  }\n}\n',
      errors: [{ at: '1:1-1:41', severity: 'medium', message: 'project_allowlist' }],
    },
  ],
});
