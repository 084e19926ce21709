import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const DIGEST = 'sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (default, services map, template image map, digest after a registry variable)', code: fixture(__dirname, 'pass.yml') },
    {
      name: 'an exempt image by exact name',
      code: 'lint:\n  image: registry.example.com/tools/lint:3\n  script: [lint]\n',
      params: { exempt_images: ['registry.example.com/tools/lint'] },
    },
    {
      name: 'an exempt image by glob, with a registry port',
      code: 'lint:\n  image: registry.example.com:5000/tools/lint:3\n  script: [lint]\n',
      params: { exempt_images: ['registry.example.com:5000/tools/*'] },
    },
    {
      name: 'a digest from a variable written in the file',
      code: `variables:\n  TRAINER_DIGEST: ${DIGEST}\ntrain:\n  image: registry.example.com/ml/trainer@$TRAINER_DIGEST\n  script: [train]\n`,
    },
    {
      name: 'a job extending a template from an included file: image unknown, nothing reported',
      code: 'include:\n  - local: ci/templates.yml\ndeploy:\n  extends: .deploy-template\n  environment: production\n  script: [kubectl apply -f k8s/]\n',
    },
  ],
  invalid: [
    {
      name: 'fixture fail.yml (default image and service medium; template image and job service of a deploy job high)',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '2:10-2:21', severity: 'medium', message: 'Image "python:3.12" is not pinned by digest' },
        { at: '4:7-4:18', severity: 'medium', message: 'Service image "postgres:16"' },
        { at: '8:11-8:31', severity: 'high', message: 'deploy job "deploy-model"' },
        { at: '19:13-19:20', severity: 'high', message: 'redis:7' },
      ],
    },
    {
      name: 'fixture info-variable-tag.yml (tag from $CI_COMMIT_SHA is unknown: info)',
      code: fixture(__dirname, 'info-variable-tag.yml'),
      errors: [{ at: '2:10-2:51', severity: 'info', message: 'could not evaluate gitlab-image-digest: image "$CI_REGISTRY_IMAGE/trainer:$CI_COMMIT_SHA" depends on $CI_REGISTRY_IMAGE, $CI_COMMIT_SHA' }],
    },
    {
      name: 'fixture fail-anchor-and-reference.yml (merge key and !reference point at where the image is written)',
      code: fixture(__dirname, 'fail-anchor-and-reference.yml'),
      errors: [
        { at: '2:10-2:17', severity: 'high', message: 'deploy job "deploy-docs"' },
        { at: '5:10-5:47', severity: 'high', message: 'deploy job "publish-eval-report"' },
      ],
    },
    {
      name: 'a deploy job by script signal in before_script inherited from default',
      code: 'default:\n  before_script:\n    - helm upgrade --install serving charts/serving\ndeploy:\n  image: alpine/helm:3.15\n  script: [echo done]\n',
      errors: [{ at: '5:10-5:26', severity: 'high' }],
    },
    {
      name: 'inherit default false: the default image is not used by the deploy job (medium)',
      code: 'default:\n  image: python:3.12\ndeploy:\n  inherit:\n    default: false\n  environment: production\n  trigger: ml/serving\n',
      errors: [{ at: '2:10-2:21', severity: 'medium' }],
    },
    {
      name: 'inherit default list without image: the default image is not used by the deploy job (medium)',
      code: 'default:\n  image: python:3.12\n  tags: [gpu]\ndeploy:\n  inherit:\n    default: [tags]\n  environment: production\n  trigger: ml/serving\n',
      errors: [{ at: '2:10-2:21', severity: 'medium' }],
    },
    {
      name: 'inherit default list with image: the deploy job uses it (high)',
      code: 'default:\n  image: python:3.12\ndeploy:\n  inherit:\n    default: [image]\n  environment: production\n  script: [./deploy.sh]\n',
      errors: [{ at: '2:10-2:21', severity: 'high' }],
    },
    {
      name: 'deprecated top-level image',
      code: 'image: ruby:3.3\ntest:\n  script: [rake]\n',
      errors: [{ at: '1:8-1:16', severity: 'medium' }],
    },
    {
      name: 'an unused hidden template is still checked (another file may extend it)',
      code: '.gpu:\n  image: nvcr.io/nvidia/pytorch:24.05-py3\n',
      errors: [{ at: '2:10-2:42', severity: 'medium' }],
    },
    {
      name: 'one finding for a template used by two deploy jobs, naming both',
      code: '.kube:\n  image: bitnami/kubectl:1.30\na:\n  extends: .kube\n  environment: staging\n  script: [x]\nb:\n  extends: .kube\n  environment: production\n  script: [x]\n',
      errors: [{ at: '2:10-2:30', severity: 'high', message: 'deploy jobs "a", "b"' }],
    },
    {
      name: 'a tag from a variable written in the file is known',
      code: 'variables:\n  TAG: "1.0"\ntrain:\n  variables:\n    TAG: "2.0"\n  image: registry.example.com/ml/trainer:$TAG\n  script: [train]\n',
      errors: [{ at: '6:10-6:46', severity: 'medium', message: '"registry.example.com/ml/trainer:2.0"' }],
    },
    {
      name: 'a variable registry with a literal tag is proven unpinned',
      code: 'train:\n  image: $CI_REGISTRY/ml/trainer:latest\n  script: [train]\n',
      errors: [{ at: '2:10-2:40', severity: 'medium', message: '"$CI_REGISTRY/ml/trainer:latest"' }],
    },
    {
      name: 'a malformed digest (upper-case, short)',
      code: 'train:\n  image: registry.example.com/ml/trainer@sha256:ABC123\n  script: [train]\n',
      errors: [{ at: '2:10-2:55', message: 'registry.example.com/ml/trainer@sha256:<64-hex digest>' }],
    },
    {
      name: 'an exemption for another image does not apply',
      code: 'lint:\n  image: registry.example.com/tools/lint-extra:3\n  script: [lint]\n',
      params: { exempt_images: ['registry.example.com/tools/lint'] },
      errors: [{ at: '2:10-2:49' }],
    },
  ],
});
