resource "aws_iam_role" "studio_execution" {
  name = "ml-studio-execution-${var.environment}"

  assume_role_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "Service": "sagemaker.amazonaws.com" },
      "Action": "sts:AssumeRole"
    }
  ]
}
EOF

  max_session_duration = 43200
}

data "aws_iam_policy_document" "training" {
  statement {
    sid       = "ReadTrainingData"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [
      aws_s3_bucket.zone["curated"].arn,
      "${aws_s3_bucket.zone["curated"].arn}/*",
    ]
  }

  statement {
    sid     = "WriteModels"
    actions = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.zone["features"].arn}/models/*"]

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_iam_role" "inference" {
  name               = "ml-inference-${var.environment}"
  assume_role_policy = data.aws_iam_policy_document.sagemaker_assume.json
  path               = "/ml/"
}

resource "aws_iam_role_policy" "training" {
  name   = "training-data"
  role   = aws_iam_role.studio_execution.id
  policy = data.aws_iam_policy_document.training.json
}

resource "aws_iam_role_policy_attachment" "managed" {
  for_each = toset([
    "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess",
    "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess",
  ])
  role       = aws_iam_role.studio_execution.name
  policy_arn = each.value
}

resource "aws_iam_policy" "pass_role" {
  name        = "ml-pass-role"
  description = "Lets pipelines pass the execution role to SageMaker jobs."
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "iam:PassRole"
      Resource = aws_iam_role.studio_execution.arn
      Condition = {
        StringEquals = { "iam:PassedToService" = "sagemaker.amazonaws.com" }
      }
    }]
  })
}
