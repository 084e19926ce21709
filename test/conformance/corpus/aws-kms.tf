data "aws_caller_identity" "current" {}

resource "aws_kms_key" "data" {
  count                   = 1
  description             = "Encrypts ML data at rest (S3, EFS, EKS secrets)."
  deletion_window_in_days = 30
  enable_key_rotation     = true
  multi_region            = false

  policy = jsonencode({
    Version = "2012-10-17"
    Id      = "ml-data-key"
    Statement = [
      {
        Sid       = "RootAccount"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid    = "SageMakerUse"
        Effect = "Allow"
        Principal = {
          AWS = [aws_iam_role.studio_execution.arn, aws_iam_role.inference.arn]
        }
        Action = [
          "kms:Encrypt",
          "kms:Decrypt",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:DescribeKey",
        ]
        Resource = "*"
      },
    ]
  })
}

resource "aws_kms_alias" "data" {
  name          = "alias/ml-data-${var.environment}"
  target_key_id = aws_kms_key.data[0].key_id
}
