/**
 * A generated repository the size of a platform team's monorepo, for the
 * throughput and workspace-scan benchmarks: Terraform root stacks of 6-10
 * files (variables, locals, tfvars, provider default_tags, calls to local
 * child modules) and Kubernetes, GitHub Actions and GitLab CI YAML, some
 * files compliant and some not. The same options give the same files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { kubernetesDocuments, terraformBlock } from './generate';

export interface WorkspaceOptions {
  /** At least this many `.tf` files. */
  readonly terraformFiles?: number;
  /** At least this many `.yaml` / `.yml` files. */
  readonly yamlFiles?: number;
}

export interface WorkspaceStats {
  readonly terraformFiles: number;
  readonly yamlFiles: number;
  /** tfvars and .plumbline.yaml. */
  readonly otherFiles: number;
  readonly files: number;
  readonly bytes: number;
  readonly terraformModules: number;
  /** A root stack's main.tf: the file a benchmark opens as the "active editor". */
  readonly sampleTerraform: string;
  readonly sampleYaml: string;
}

const TEAMS = ['ml-platform', 'data-eng', 'fraud', 'search', 'recsys', 'vision', 'speech', 'risk'];
const ENVS = ['dev', 'staging', 'prod'];
const STACKS = ['training', 'serving', 'feature-store', 'registry', 'labeling', 'eval'];
const REGIONS = ['eu-central-1', 'eu-west-1', 'us-east-1'];

export function generateWorkspace(dir: string, options: WorkspaceOptions = {}): WorkspaceStats {
  const wantTf = options.terraformFiles ?? 2000;
  const wantYaml = options.yamlFiles ?? 2000;
  let terraformFiles = 0;
  let yamlFiles = 0;
  let otherFiles = 0;
  let bytes = 0;
  let terraformModules = 0;
  const write = (rel: string, text: string) => {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
    if (rel.endsWith('.tf')) terraformFiles++;
    else if (/\.ya?ml$/.test(rel) && !rel.endsWith('.plumbline.yaml')) yamlFiles++;
    else otherFiles++;
  };

  write('.plumbline.yaml', CONFIG);

  // Local child modules the stacks call.
  const childModules: string[] = [];
  for (let k = 0; k < Math.max(6, Math.round(wantTf / 80)); k++) {
    const name = `${['ml-store', 'gpu-host', 'model-registry'][k % 3]}-${k}`;
    childModules.push(name);
    for (const [file, text] of Object.entries(childModule(k))) write(`modules/${name}/${file}`, text);
    terraformModules++;
  }

  // Root stacks: live/<team>/<env>/<stack>/.
  let sampleTerraform = '';
  for (let s = 0; terraformFiles < wantTf; s++) {
    const team = TEAMS[s % TEAMS.length]!;
    const env = ENVS[Math.floor(s / TEAMS.length) % ENVS.length]!;
    const stack = `${STACKS[Math.floor(s / (TEAMS.length * ENVS.length)) % STACKS.length]!}-${Math.floor(s / (TEAMS.length * ENVS.length * STACKS.length))}`;
    const rel = `live/${team}/${env}/${stack}`;
    for (const [file, text] of Object.entries(rootStack(s, team, env, stack, childModules))) write(`${rel}/${file}`, text);
    terraformModules++;
    if (!sampleTerraform) sampleTerraform = path.join(dir, rel, 'main.tf');
  }

  // GitLab CI: a root pipeline with local includes, and one pipeline per service.
  const templates = Math.max(4, Math.round(wantYaml / 100));
  write('.gitlab-ci.yml', gitlabRoot(templates));
  for (let t = 0; t < templates; t++) write(`ci/templates/${['terraform', 'policy', 'images', 'deploy'][t % 4]}-${t}.yml`, gitlabJobs(t, false));
  const services = Math.max(4, Math.round(wantYaml / 40));
  for (let t = 0; t < services; t++) write(`services/svc-${t}/.gitlab-ci.yml`, gitlabJobs(t, true));
  // GitHub Actions workflows.
  for (let w = 0; w < Math.max(6, Math.round(wantYaml / 20)); w++) write(`.github/workflows/${['build', 'deploy', 'release', 'lint', 'model-eval'][w % 5]}-${w}.yml`, workflow(w));

  // Kubernetes: one folder per application and environment.
  let sampleYaml = '';
  for (let a = 0; yamlFiles < wantYaml; a++) {
    const app = `model-${a}`;
    const env = ENVS[a % ENVS.length]!;
    const rel = `k8s/${TEAMS[a % TEAMS.length]}/${app}/${env}`;
    for (const [file, text] of Object.entries(kubernetesApp(a, app, env))) write(`${rel}/${file}`, text);
    if (!sampleYaml) sampleYaml = path.join(dir, rel, 'deployment.yaml');
  }

  return { terraformFiles, yamlFiles, otherFiles, files: terraformFiles + yamlFiles + otherFiles, bytes, terraformModules, sampleTerraform, sampleYaml };
}

const CONFIG = `# Benchmark workspace: required tags and allowed regions, as a platform team would set them.
required_tags: [owner, cost-center, environment]
allowed_regions:
  aws: [eu-central-1, eu-west-1]
`;

function childModule(k: number): Record<string, string> {
  const kind = k % 3;
  const variables = `variable "name" {
  type        = string
  description = "Name of the resource, prefixed by the calling stack."
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "kms_key_arn" {
  type    = string
  default = null
}
`;
  const versions = `terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "${k % 4 === 0 ? '>= 5.0' : '~> 5.80'}"
    }
  }
}
`;
  const main =
    kind === 0
      ? `resource "aws_s3_bucket" "this" {
  bucket = var.name
  tags   = merge(var.tags, { ai-asset-type = "dataset" })
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "${k % 5 === 0 ? 'Suspended' : 'Enabled'}"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = ${k % 6 === 0 ? 'false' : 'true'}
}
`
      : kind === 1
        ? `data "aws_ami" "gpu" {
  most_recent = true
  owners      = ["amazon"]
}

resource "aws_instance" "this" {
  ami           = data.aws_ami.gpu.id
  instance_type = "g5.2xlarge"
  tags          = merge(var.tags, { Name = var.name })

  metadata_options {
    http_tokens = "${k % 4 === 1 ? 'optional' : 'required'}"
  }

  root_block_device {
    encrypted  = true
    kms_key_id = var.kms_key_arn
  }
}
`
        : `resource "aws_ecr_repository" "this" {
  name                 = var.name
  image_tag_mutability = "${k % 4 === 2 ? 'MUTABLE' : 'IMMUTABLE'}"
  tags                 = var.tags

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}
`;
  const outputs = `output "id" {
  value = ${kind === 0 ? 'aws_s3_bucket.this.id' : kind === 1 ? 'aws_instance.this.id' : 'aws_ecr_repository.this.repository_url'}
}
`;
  return { 'main.tf': main, 'variables.tf': variables, 'outputs.tf': outputs, 'versions.tf': versions };
}

function rootStack(s: number, team: string, env: string, stack: string, children: readonly string[]): Record<string, string> {
  const region = REGIONS[s % REGIONS.length]!;
  const files: Record<string, string> = {};
  files['versions.tf'] = `terraform {
  required_version = "~> 1.9"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "${s % 7 === 0 ? '>= 5.0' : '~> 5.80'}"
    }
  }

  backend "s3" {
    bucket       = "acme-tf-state-${team}"
    key          = "${team}/${env}/${stack}.tfstate"
    region       = "eu-central-1"
    encrypt      = ${s % 9 === 0 ? 'false' : 'true'}
    use_lockfile = true
  }
}
`;
  files['providers.tf'] =
    s % 5 === 0
      ? `provider "aws" {
  region = var.region
}
`
      : `provider "aws" {
  region = var.region

  default_tags {
    tags = {
      owner               = var.owner
      cost-center         = "cc-${4000 + (s % 90)}"
      environment         = var.environment
      data-classification = "${s % 3 === 0 ? 'confidential' : 'internal'}"
    }
  }
}
`;
  files['variables.tf'] = `variable "region" {
  type        = string
  description = "AWS region of the stack."
  default     = "eu-central-1"
}

variable "owner" {
  type = string
}

variable "environment" {
  type = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "ami" {
  type    = string
  default = "ami-0abcdef1234567890"
}

variable "retention_days" {
  type    = number
  default = ${env === 'prod' ? 365 : 30}
}

variable "replicas" {
  type    = number
  default = ${1 + (s % 4)}
}
`;
  files['locals.tf'] = `locals {
  name_prefix = "\${var.owner}-\${var.environment}-${stack}"

  common_tags = {
    team  = "${team}"
    stack = "${stack}"
  }

  store_names = [for n in ["raw", "curated", "features"] : "\${local.name_prefix}-\${n}"]
  log_group   = format("/acme/%s/%s", lower(var.owner), var.environment)
}
`;
  const calls: string[] = [];
  for (let c = 0; c < 2 + (s % 3); c++) {
    const child = children[(s * 3 + c) % children.length]!;
    calls.push(`module "${child.replace(/-\d+$/, '').replace(/-/g, '_')}_${c}" {
  source = "../../../../modules/${child}"

  name        = "\${local.name_prefix}-${c}"
  kms_key_arn = aws_kms_key.data.arn
  tags        = merge(local.common_tags, { component = "${child}" })
}
`);
  }
  if (s % 4 === 0)
    calls.push(`module "network" {
  source = "git::https://github.com/acme/terraform-modules.git//network${s % 8 === 0 ? '' : '?ref=v3.4.1'}"

  name = local.name_prefix
}
`);
  files['main.tf'] = `# ${team} / ${env} / ${stack}: the stack's components from the shared modules.\n\n${calls.join('\n')}`;
  const blocks: string[] = [];
  for (let b = 0; b < 4 + (s % 5); b++) blocks.push(terraformBlock(s * 5 + b));
  files['storage.tf'] = blocks.filter((_, i) => i % 2 === 0).join('\n') || terraformBlock(s * 5);
  files['compute.tf'] = blocks.filter((_, i) => i % 2 === 1).join('\n') || terraformBlock(s * 5 + 2);
  files['security.tf'] = `resource "aws_kms_key" "data" {
  description             = "Data at rest of \${local.name_prefix}"
  deletion_window_in_days = 30
  enable_key_rotation     = ${s % 6 === 0 ? 'false' : 'true'}
  tags                    = local.common_tags
}

resource "aws_cloudwatch_log_group" "app" {
  name              = local.log_group
  retention_in_days = ${s % 8 === 0 ? 0 : 'var.retention_days'}
  kms_key_id        = aws_kms_key.data.arn
}
`;
  if (s % 2 === 0)
    files['sagemaker.tf'] = `resource "aws_sagemaker_endpoint_configuration" "serving" {
  name        = "\${local.name_prefix}-serving"
  kms_key_arn = ${s % 4 === 0 ? 'null' : 'aws_kms_key.data.arn'}

  production_variants {
    variant_name           = "primary"
    model_name             = "\${local.name_prefix}-model"
    initial_instance_count = var.replicas
    instance_type          = "ml.${s % 3 === 0 ? 'm5' : 'g5'}.xlarge"
  }

  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = 10
    destination_s3_uri          = "s3://\${local.store_names[0]}/capture"

    capture_options {
      capture_mode = "Input"
    }
  }
}
`;
  if (s % 3 === 0)
    files['iam.tf'] = `data "aws_iam_policy_document" "ci" {
  statement {
    actions   = ${s % 6 === 0 ? '["*"]' : '["s3:GetObject", "s3:PutObject"]'}
    resources = ["arn:aws:s3:::\${local.store_names[1]}/*"]
  }
}

resource "aws_iam_policy" "ci" {
  name   = "\${local.name_prefix}-ci"
  policy = data.aws_iam_policy_document.ci.json
}
`;
  files['outputs.tf'] = `output "kms_key_arn" {
  value = aws_kms_key.data.arn
}

output "log_group" {
  value = aws_cloudwatch_log_group.app.name
}
`;
  files['terraform.tfvars'] = `region      = "${region}"
owner       = "${team}"
environment = "${env}"
`;
  if (s % 3 === 1) files[`${env}.auto.tfvars`] = `retention_days = ${env === 'prod' ? 400 : 14}\nreplicas       = ${2 + (s % 5)}\n`;
  return files;
}

function gitlabRoot(templates: number): string {
  const includes = Array.from({ length: templates }, (_, t) => `  - local: /ci/templates/${['terraform', 'policy', 'images', 'deploy'][t % 4]}-${t}.yml`);
  return `include:
${includes.join('\n')}
  - project: acme/ci-templates
    ref: 6f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6
    file: /policy.yml

stages: [check, plan, deploy]

default:
  image: registry.acme.io/tools/terraform@sha256:${'4c'.repeat(32)}
`;
}

function gitlabJobs(t: number, withStages: boolean): string {
  const image = t % 3 === 0 ? 'registry.acme.io/tools/kubectl:1.31' : `registry.acme.io/tools/kubectl@sha256:${'9f'.repeat(32)}`;
  return `${withStages ? 'stages: [check, plan, deploy]\n\n' : ''}variables:
  TF_ROOT: live/ml-platform/prod/serving-${t}
  ${t % 5 === 0 ? 'AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"' : 'AWS_REGION: eu-central-1'}

policy-check-${t}:
  stage: check
  image: registry.acme.io/tools/conftest@sha256:${'1a'.repeat(32)}
  script:
    - conftest test $TF_ROOT
  allow_failure: ${t % 4 === 0 ? 'true' : 'false'}

plan-${t}:
  stage: plan
  image: registry.acme.io/tools/terraform@sha256:${'4c'.repeat(32)}
  script:
    - terraform -chdir=$TF_ROOT init
    - terraform -chdir=$TF_ROOT plan -out=plan.tfplan
  artifacts:
    paths: [plan.tfplan]

deploy-${t}:
  stage: deploy
  image: ${image}
  needs: [${t % 2 === 0 ? `policy-check-${t}, ` : ''}plan-${t}]
  environment:
    name: ${t % 3 === 1 ? 'staging' : 'production'}
  ${t % 2 === 0 ? 'when: manual\n  ' : ''}script:
    - kubectl apply -f k8s/
`;
}

function workflow(w: number): string {
  const checkout = w % 3 === 0 ? 'actions/checkout@v4' : 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';
  return `name: pipeline-${w}

on:
  push:
    branches: [main]
  pull_request:

${w % 4 === 0 ? '' : 'permissions:\n  contents: read\n  id-token: write\n\n'}jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: ${checkout}
        with:
          persist-credentials: false
      - uses: actions/setup-python@0b93645e9fea7318ecaed2b359559ac225c90a2b # v5.3.0
        with:
          python-version: "3.12"
      - run: pip install -r requirements.txt && pytest -q
      - name: Greet
        run: echo "Building \${{ github.event.pull_request.title }}"

  build:
    needs: test
    runs-on: ubuntu-latest
    steps:
      - uses: ${checkout}
      - uses: docker/setup-buildx-action@c47758b77c9736f4b2ef4073d4d51994fabfe349 # v3.7.1
      - run: docker build -t registry.acme.io/ml/model-${w}:\${{ github.sha }} .
      - run: docker push registry.acme.io/ml/model-${w}:${w % 2 === 0 ? 'latest' : '${{ github.sha }}'}

  deploy-production:
    needs: build
    runs-on: ubuntu-latest
    ${w % 3 === 1 ? 'environment: production\n    ' : ''}steps:
      - uses: ${checkout}
      - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502 # v4.0.2
        with:
          ${w % 5 === 0 ? 'aws-access-key-id: AKIAIOSFODNN7EXAMPLE' : 'role-to-assume: arn:aws:iam::123456789012:role/deploy'}
          aws-region: eu-central-1
      - run: kubectl apply -f k8s/
`;
}

function kubernetesApp(a: number, app: string, env: string): Record<string, string> {
  const ns = `ml-${env}`;
  const digest = a % 4 !== 0;
  const files: Record<string, string> = {};
  files['deployment.yaml'] = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
  labels:
    app: ${app}
    owner: team-${a % 7}
    model-version: "1.${a % 10}.0"
spec:
  replicas: ${1 + (a % 3)}
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      serviceAccountName: ${a % 5 === 0 ? 'default' : app}
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: ${a % 6 === 0 ? 'false' : 'true'}
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: server
          image: registry.acme.io/ml/${app}:1.${a % 10}.0${digest ? `@sha256:${'ab'.repeat(32)}` : ''}
          ports:
            - containerPort: 8080
          securityContext:
            allowPrivilegeEscalation: ${a % 7 === 0 ? 'true' : 'false'}
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          resources:
            requests:
              cpu: "1"
              memory: 2Gi
            limits:
              memory: 2Gi${a % 8 === 0 ? '\n              nvidia.com/gpu: 1' : ''}
          readinessProbe:
            httpGet:
              path: /healthz
              port: 8080
          livenessProbe:
            httpGet:
              path: /healthz
              port: 8080
`;
  files['service.yaml'] = `apiVersion: v1
kind: Service
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  selector:
    app: ${app}
  ports:
    - port: 80
      targetPort: 8080
`;
  files['rbac.yaml'] = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${app}
  namespace: ${ns}
automountServiceAccountToken: false
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ${app}-reader
  namespace: ${ns}
rules:
  - apiGroups: [""]
    resources: ${a % 9 === 0 ? '["*"]' : '[configmaps, secrets]'}
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ${app}-reader
  namespace: ${ns}
subjects:
  - kind: ServiceAccount
    name: ${app}
    namespace: ${ns}
roleRef:
  kind: Role
  name: ${app}-reader
  apiGroup: rbac.authorization.k8s.io
`;
  files['config.yaml'] = `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}-config
  namespace: ${ns}
data:
  MODEL_NAME: ${app}
  BATCH_SIZE: "${16 << a % 3}"
  LOG_LEVEL: info
`;
  files['batch.yaml'] = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${app}-retrain
  namespace: ${ns}
spec:
  schedule: "0 ${a % 24} * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          ${a % 10 === 0 ? 'hostNetwork: true\n          ' : ''}containers:
            - name: retrain
              image: registry.acme.io/ml/trainer:2.${a % 5}.1
              env:
                - name: API_TOKEN
                  value: ${a % 11 === 0 ? '"sk-live-0123456789abcdef"' : '""'}
              resources:
                limits:
                  cpu: "4"
                  memory: 16Gi
`;
  if (a % 2 === 0) files['serving-bundle.yaml'] = kubernetesDocuments(4 + (a % 9));
  files['kustomization.yaml'] = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${ns}
resources:
${Object.keys(files)
  .map((f) => `  - ${f}`)
  .join('\n')}
`;
  return files;
}
