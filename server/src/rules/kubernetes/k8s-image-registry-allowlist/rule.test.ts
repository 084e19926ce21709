import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const allowed_registries = ['registry.example.com/ml', '*.dkr.ecr.eu-central-1.amazonaws.com', 'nvcr.io/nvidia'];

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
    { name: 'fixture pass.yaml (path prefix, label wildcard, templated tag)', code: fixture(__dirname, 'pass.yaml'), params: { allowed_registries } },
    { name: 'without allowed_registries the rule checks nothing', code: fixture(__dirname, 'fail.yaml') },
    { name: 'docker.io/library normalisation matches a library prefix', code: pod('busybox:1.36'), params: { allowed_registries: ['docker.io/library'] } },
    { name: 'host-only pattern passes a templated path', code: pod('registry.example.com/${REPO}:1.0'), params: { allowed_registries: ['registry.example.com'] } },
    { name: 'templated path under a path-prefix pattern is unknown', code: pod('registry.example.com/${REPO}:1.0'), params: { allowed_registries } },
    { name: 'templated host is unknown', code: pod('${REGISTRY}/ml/app:1.0'), params: { allowed_registries } },
  ],
  invalid: [
    {
      name: 'fixture fail.yaml (Docker Hub, ghcr, other path, other region, templated path on a public host)',
      code: fixture(__dirname, 'fail.yaml'),
      params: { allowed_registries, registry_mirror_map: { 'docker.io': 'registry.example.com/ml/dockerhub' } },
      errors: [
        { at: '12:18-12:41', severity: 'high', message: 'Pull it through the mirror: "registry.example.com/ml/dockerhub/vllm/vllm-openai:v0.6.3"' },
        { at: '14:18-14:69', severity: 'high', message: 'comes from ghcr.io/huggingface/text-generation-inference' },
        { at: '16:18-16:30', severity: 'high', message: '"registry.example.com/ml/dockerhub/library/busybox:1.36"' },
        { at: '18:18-18:57', severity: 'high', message: 'registry.example.com/web/frontend, which is not an allowed registry' },
        { at: '20:18-20:75', severity: 'high', message: 'Copy it into an allowed registry' },
        { at: '22:18-22:39', severity: 'high', message: 'comes from docker.io, which' },
      ],
    },
    { name: 'prefixes match whole segments', code: pod('registry.example.com/ml-experimental/app:1.0'), params: { allowed_registries }, errors: [{ at: '8:14-8:58' }] },
    { name: 'report_unknown: templated host', code: pod('${REGISTRY}/ml/app:1.0'), params: { allowed_registries, report_unknown: true }, errors: [{ at: '8:14-8:36', severity: 'info', message: 'could not evaluate k8s-image-registry-allowlist' }] },
    {
      name: "fix: registry_mirror_map: rewrites the image to the mirror, keeping quotes and tag",
      code: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: vllm
      image: "vllm/vllm-openai:v0.6.3"
`,
      params: {"allowed_registries": ["registry.example.com/ml"], "registry_mirror_map": {"docker.io": "registry.example.com/ml/dockerhub"}},
      errors: [{ at: '8:14-8:39' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: vllm
      image: "registry.example.com/ml/dockerhub/vllm/vllm-openai:v0.6.3"
`,
    },
  ],
});
