resource "aws_eks_cluster" "ml" {
  name     = "ml-${var.environment}"
  role_arn = aws_iam_role.eks_cluster.arn
  version  = "1.29"

  vpc_config {
    subnet_ids              = module.vpc.private_subnets
    endpoint_private_access = true
    endpoint_public_access  = false
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.data[0].arn
    }
  }

  enabled_cluster_log_types = ["api", "audit", "authenticator"]
}

resource "aws_launch_template" "gpu" {
  name_prefix   = "ml-gpu-"
  instance_type = var.training_instance_types[0]

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 200
      volume_type = "gp3"
      iops        = 3000
      throughput  = 125
      encrypted   = true
    }
  }

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }

  user_data = base64encode(<<-EOT
    MIME-Version: 1.0
    Content-Type: multipart/mixed; boundary="==BOUNDARY=="

    --==BOUNDARY==
    Content-Type: text/x-shellscript; charset="us-ascii"

    #!/bin/bash
    set -euo pipefail
    /etc/eks/bootstrap.sh ${aws_eks_cluster.ml.name} \
      --kubelet-extra-args '--node-labels=workload=training,gpu=${var.enable_gpu}'
    %{ for path in var.extra_mounts ~}
    mkdir -p ${path}
    %{ endfor ~}
    echo "bootstrapped at $(date -u)" >> /var/log/bootstrap.log

    --==BOUNDARY==--
    EOT
  )
}

resource "aws_eks_node_group" "gpu" {
  count           = var.enable_gpu ? 1 : 0
  cluster_name    = aws_eks_cluster.ml.name
  node_group_name = "gpu-training"
  node_role_arn   = aws_iam_role.eks_nodes.arn
  subnet_ids      = module.vpc.private_subnets
  ami_type        = "AL2_x86_64_GPU"
  capacity_type   = "SPOT"

  scaling_config {
    desired_size = 0
    min_size     = 0
    max_size     = 8
  }

  launch_template {
    id      = aws_launch_template.gpu.id
    version = aws_launch_template.gpu.latest_version
  }

  dynamic "taint" {
    for_each = var.gpu_taints
    content {
      key    = taint.value.key
      value  = taint.value.value
      effect = taint.value.effect
    }
  }

  labels = {
    "nvidia.com/gpu.present" = "true"
    "workload"               = "training"
  }

  update_config {
    max_unavailable_percentage = 33
  }

  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }
}
