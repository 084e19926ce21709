/** Realistic Terraform and Kubernetes text of a given size, for benchmarks. */

function bucket(i: number): string {
  const kind = ['dataset', 'model', 'eval', 'feature-store'][i % 4];
  return `# ${kind} store ${i}
resource "aws_s3_bucket" "store_${i}" {
  bucket = "acme-ml-${kind}-${i}"

  tags = {
    ai-asset-type       = "${kind}"
    data-classification = "${i % 3 === 0 ? 'confidential' : 'internal'}"
    owner               = "team-${i % 7}"
  }
}

resource "aws_s3_bucket_versioning" "store_${i}" {
  bucket = aws_s3_bucket.store_${i}.id

  versioning_configuration {
    status = "${i % 5 === 0 ? 'Suspended' : 'Enabled'}"
  }
}
`;
}

function registry(i: number): string {
  return `resource "aws_ecr_repository" "images_${i}" {
  name                 = "model-${i}"
  image_tag_mutability = "${i % 4 === 0 ? 'MUTABLE' : 'IMMUTABLE'}"

  image_scanning_configuration {
    scan_on_push = true
  }
}
`;
}

function host(i: number): string {
  return `resource "aws_instance" "trainer_${i}" {
  ami           = var.ami
  instance_type = "p4d.24xlarge"
  subnet_id     = "subnet-0${i}"

  metadata_options {
    http_tokens = "${i % 3 === 0 ? 'optional' : 'required'}"
  }

  root_block_device {
    volume_size = ${100 + i}
    encrypted   = true
  }
}
`;
}

/** About `lines` lines of Terraform: buckets with companions, registries, GPU hosts. */
export function terraformOfLines(lines: number): string {
  const parts = ['variable "ami" {\n  type = string\n}\n'];
  let i = 0;
  let count = 3;
  while (count < lines) {
    const block = [bucket, registry, host][i % 3]!(i);
    parts.push(block);
    count += block.split('\n').length;
    i++;
  }
  return parts.join('\n');
}

/** `docs` Kubernetes documents: model-serving Deployments and Services. */
export function kubernetesDocuments(docs: number): string {
  const out: string[] = [];
  for (let i = 0; i < docs; i++) {
    out.push(
      i % 2 === 0
        ? `apiVersion: apps/v1
kind: Deployment
metadata:
  name: model-${i}
  namespace: ml-serving
spec:
  replicas: 2
  selector:
    matchLabels:
      app: model-${i}
  template:
    metadata:
      labels:
        app: model-${i}
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: server
          image: registry.acme.io/ml/model-${i}:${i % 4 === 0 ? '1.0.0' : '1.0.0@sha256:' + 'ab'.repeat(32)}
          resources:
            requests:
              cpu: "1"
              memory: 2Gi
            limits:
              memory: 2Gi
`
        : `apiVersion: v1
kind: Service
metadata:
  name: model-${i - 1}
  namespace: ml-serving
spec:
  selector:
    app: model-${i - 1}
  ports:
    - port: 80
      targetPort: 8080
`,
    );
  }
  return out.join('---\n');
}

/** One resource group of `terraformOfLines` (a bucket with its versioning, a registry or a GPU host), the i-th. */
export function terraformBlock(i: number): string {
  return [bucket, registry, host][i % 3]!(i);
}
