resource "aws_batch_compute_environment" "gpu" {
  compute_environment_name_prefix = "ml-gpu-"
  type                            = "MANAGED"
  service_role                    = aws_iam_role.batch_service.arn

  compute_resources {
    type                = "SPOT"
    allocation_strategy = "SPOT_PRICE_CAPACITY_OPTIMIZED"
    bid_percentage      = 60
    min_vcpus           = 0
    max_vcpus           = 256
    instance_type       = var.training_instance_types
    subnets             = module.vpc.private_subnets
    security_group_ids  = [aws_security_group.batch.id]
    instance_role       = aws_iam_instance_profile.batch.arn

    ec2_configuration {
      image_type = "ECS_AL2_NVIDIA"
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_batch_job_queue" "training" {
  name     = "training"
  state    = "ENABLED"
  priority = 10

  compute_environment_order {
    order               = 1
    compute_environment = aws_batch_compute_environment.gpu.arn
  }
}

resource "aws_batch_job_definition" "train" {
  name = "train-model"
  type = "container"

  retry_strategy {
    attempts = 3
    evaluate_on_exit {
      on_status_reason = "Host EC2*"
      action           = "RETRY"
    }
    evaluate_on_exit {
      on_reason = "*"
      action    = "EXIT"
    }
  }

  timeout {
    attempt_duration_seconds = 60 * 60 * 12
  }

  container_properties = jsonencode({
    image   = "${aws_ecr_repository.images["training/pytorch"].repository_url}:v1.4.2"
    command = ["python", "train.py", "--epochs", "Ref::epochs", "--lr", "Ref::learning_rate"]
    resourceRequirements = [
      { type = "VCPU", value = "8" },
      { type = "MEMORY", value = "30000" },
      { type = "GPU", value = "1" },
    ]
    environment = [
      for k, v in var.training_env : { name = k, value = tostring(v) }
    ]
    jobRoleArn = aws_iam_role.studio_execution.arn
  })

  parameters = {
    epochs        = "10"
    learning_rate = "0.0003"
  }
}
