import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A Pod whose container `app` has the given image (line 8). */
const pod = (image: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: ${image}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yaml (tags, registry port, digests, templated)', code: fixture(__dirname, 'pass.yaml') },
    { name: 'a tag that contains "latest" is a version', code: pod('registry.example.com/app:latest-2024-10') },
    { name: 'envsubst tag is unknown', code: pod('registry.example.com/app:${TAG}') },
    { name: 'no image (set by Kustomize) is not judged', code: pod('""') },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (no tag behind a registry port, :latest, bare name)',
      code: fixture(__dirname, 'fail.yaml'),
      errors: [
        { at: '11:18-11:57', severity: 'high', message: 'has no tag, so it means :latest' },
        { at: '14:18-14:41', severity: 'high', message: 'uses the :latest tag' },
        { at: '16:18-16:25', severity: 'high', message: 'e.g. "busybox:1.4.2"' },
      ],
    },
    { name: 'quoted :latest', code: pod('"ghcr.io/org/model-server:latest"'), errors: [{ at: '8:14-8:47', message: 'e.g. "ghcr.io/org/model-server:1.4.2"' }] },
    { name: 'report_unknown: templated image', code: pod('"{{ .Values.image }}"'), params: { report_unknown: true }, errors: [{ at: '8:14-8:35', severity: 'info', message: 'could not evaluate k8s-image-no-latest' }] },
  ],
});
