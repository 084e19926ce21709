// SageMaker Studio: one domain per environment, one profile per data scientist.

resource "aws_sagemaker_domain" "studio" {
  domain_name = "ml-${var.environment}"
  auth_mode   = "IAM"
  vpc_id      = module.vpc.vpc_id
  subnet_ids  = module.vpc.private_subnets

  default_user_settings {
    execution_role  = aws_iam_role.studio_execution.arn
    security_groups = [aws_security_group.studio.id]

    jupyter_server_app_settings {
      default_resource_spec {
        instance_type       = "system"
        sagemaker_image_arn = local.jupyter_image_arn
      }
    }

    kernel_gateway_app_settings {
      default_resource_spec {
        instance_type = "ml.t3.medium"
      }

      custom_image {
        app_image_config_name = aws_sagemaker_app_image_config.pytorch.app_image_config_name
        image_name            = aws_sagemaker_image.pytorch.image_name
      }
    }

    sharing_settings {
      notebook_output_option = "Disabled"
    }
  }

  domain_settings {
    security_group_ids = [aws_security_group.studio.id]
  }

  retention_policy {
    home_efs_file_system = var.environment == "prod" ? "Retain" : "Delete"
  }

  kms_key_id = aws_kms_key.data[0].arn
  tags       = merge(var.tags, { Component = "studio" })
}

resource "aws_sagemaker_user_profile" "users" {
  for_each = var.notebook_users

  domain_id         = aws_sagemaker_domain.studio.id
  user_profile_name = replace(each.key, ".", "-")

  user_settings {
    execution_role = aws_iam_role.studio_execution.arn

    kernel_gateway_app_settings {
      default_resource_spec {
        instance_type = each.value.gpu ? "ml.g5.xlarge" : each.value.instance_type
      }
    }
  }

  tags = {
    Owner = each.value.email
    Team  = each.value.team
  }
}

resource "aws_sagemaker_image" "pytorch" {
  image_name = "pytorch-2-gpu"
  role_arn   = aws_iam_role.studio_execution.arn
}

resource "aws_sagemaker_app_image_config" "pytorch" {
  app_image_config_name = "pytorch-2-gpu"

  kernel_gateway_image_config {
    kernel_spec {
      name         = "python3"
      display_name = "PyTorch 2 (GPU)"
    }

    file_system_config {
      default_gid = 100
      default_uid = 1000
      mount_path  = "/home/sagemaker-user"
    }
  }
}
