import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (id_tokens with role assumption; WIF credential config; keys in a non-deploy job)', code: fixture(__dirname, 'pass.yml') },
    {
      name: 'id_tokens from an extends target in an included file is unknown: nothing reported',
      code: 'include:\n  - local: ci/oidc.yml\ndeploy:\n  extends: .aws-oidc\n  script: [kubectl apply -f k8s/]\n',
    },
    {
      name: 'id_tokens from default:',
      code: 'default:\n  id_tokens:\n    CLOUD_ID_TOKEN:\n      aud: sts.amazonaws.com\ndeploy:\n  script: [aws s3 sync site/ s3://docs]\n',
    },
  ],
  invalid: [
    {
      name: 'fixture fail.yml (global key references used by a deploy job; job-level Azure secret; aws configure set; inherit:variables false)',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '2:22-2:38', severity: 'high', message: 'AWS_ACCESS_KEY_ID gives job "deploy-model" a long-lived AWS key (through $PROD_AWS_KEY_ID' },
        { at: '3:26-3:42', severity: 'high', message: 'AWS_SECRET_ACCESS_KEY' },
        { at: '15:24-15:40', severity: 'high', message: 'long-lived Azure key' },
        { at: '24:7-24:46', severity: 'high', message: 'configures a long-lived AWS access key' },
      ],
    },
    {
      name: 'a cloud CLI job with neither keys nor id_tokens: info on the job',
      code: 'sync-dataset:\n  script:\n    - gsutil -m rsync -r data/ gs://datasets/fraud\n',
      errors: [{ at: '1:1-1:13', severity: 'info', message: 'neither id_tokens nor credentials visible' }],
      output: 'sync-dataset:\n  script:\n    - gsutil -m rsync -r data/ gs://datasets/fraud\n  id_tokens:\n    CLOUD_ID_TOKEN:\n      aud: REPLACE_ME\n',
    },
    {
      name: 'fix: audience and token_name params fill the id_tokens entry',
      code: 'sync-dataset:\n  script:\n    - gsutil -m rsync -r data/ gs://datasets/fraud\n  id_tokens: {OTHER: {aud: x}}\n'.replace('  id_tokens: {OTHER: {aud: x}}\n', ''),
      params: { audience: 'https://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/gl', token_name: 'GCP_ID_TOKEN' },
      errors: [{ at: '1:1-1:13', severity: 'info' }],
      output: 'sync-dataset:\n  script:\n    - gsutil -m rsync -r data/ gs://datasets/fraud\n  id_tokens:\n    GCP_ID_TOKEN:\n      aud: https://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/gl\n',
    },
    {
      name: 'a template variable shared by two deploy jobs: one finding naming both',
      code: '.aws:\n  variables:\n    AWS_SECRET_ACCESS_KEY: $KEY\na:\n  extends: .aws\n  environment: staging\n  script: [./deploy.sh]\nb:\n  extends: .aws\n  environment: production\n  script: [./deploy.sh]\n',
      errors: [{ at: '3:28-3:32', message: 'jobs "a", "b"' }],
      output: '.aws:\n  variables:\n    AWS_SECRET_ACCESS_KEY: $KEY\na:\n  extends: .aws\n  environment: staging\n  script: [./deploy.sh]\n  id_tokens:\n    CLOUD_ID_TOKEN:\n      aud: REPLACE_ME\nb:\n  extends: .aws\n  environment: production\n  script: [./deploy.sh]\n  id_tokens:\n    CLOUD_ID_TOKEN:\n      aud: REPLACE_ME\n',
    },
    {
      name: 'GOOGLE_APPLICATION_CREDENTIALS without id_tokens is a key file',
      code: 'deploy:\n  variables:\n    GOOGLE_APPLICATION_CREDENTIALS: /tmp/sa.json\n  script: [gcloud ai endpoints deploy-model 1 --model=m]\n',
      errors: [{ at: '3:37-3:49', message: 'long-lived Google Cloud key' }],
    },
    {
      name: 'report_unknown: id_tokens from an included extends target gets an info note',
      code: 'include:\n  - local: ci/oidc.yml\ndeploy:\n  extends: .aws-oidc\n  script: [kubectl apply -f k8s/]\n',
      params: { report_unknown: true },
      errors: [{ at: '4:12-4:21', severity: 'info', message: 'could not evaluate gitlab-static-cloud-credentials: whether job "deploy" has id_tokens' }],
    },
  ],
});
