locals {
  repositories = toset(["training/pytorch", "training/xgboost", "serving/triton", "serving/torchserve"])
}

resource "aws_ecr_repository" "images" {
  for_each             = local.repositories
  name                 = "ml/${each.value}"
  image_tag_mutability = "IMMUTABLE"
  force_delete         = false

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.data[0].arn
  }
}

resource "aws_ecr_lifecycle_policy" "images" {
  for_each   = aws_ecr_repository.images
  repository = each.value.name

  policy = <<-POLICY
    {
      "rules": [
        {
          "rulePriority": 1,
          "description": "Expire untagged images after 14 days",
          "selection": {
            "tagStatus": "untagged",
            "countType": "sinceImagePushed",
            "countUnit": "days",
            "countNumber": 14
          },
          "action": { "type": "expire" }
        },
        {
          "rulePriority": 2,
          "description": "Keep the last ${var.keep_images} release images of ${each.key}",
          "selection": {
            "tagStatus": "tagged",
            "tagPrefixList": ["v"],
            "countType": "imageCountMoreThan",
            "countNumber": ${var.keep_images}
          },
          "action": { "type": "expire" }
        }
      ]
    }
  POLICY
}

resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = "ENHANCED"

  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    repository_filter {
      filter      = "ml/*"
      filter_type = "WILDCARD"
    }
  }
}
