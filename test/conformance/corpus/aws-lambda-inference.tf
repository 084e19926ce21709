data "archive_file" "preprocess" {
  type        = "zip"
  source_dir  = "${path.module}/functions/preprocess"
  output_path = "${path.module}/build/preprocess.zip"
  excludes    = ["__pycache__", "*.pyc", "tests/**"]
}

resource "aws_lambda_function" "preprocess" {
  function_name    = "ml-preprocess-${var.environment}"
  role             = aws_iam_role.lambda.arn
  handler          = "handler.main"
  runtime          = "python3.12"
  architectures    = ["arm64"]
  memory_size      = 1024
  timeout          = 30
  filename         = data.archive_file.preprocess.output_path
  source_code_hash = data.archive_file.preprocess.output_base64sha256
  layers           = [for l in aws_lambda_layer_version.deps : l.arn]

  environment {
    variables = {
      ENDPOINT_NAME = aws_sagemaker_endpoint.model["ranker"].name
      LOG_LEVEL     = var.environment == "prod" ? "INFO" : "DEBUG"
      FEATURE_FLAGS = join(",", var.feature_flags)
    }
  }

  vpc_config {
    subnet_ids         = module.vpc.private_subnets
    security_group_ids = [aws_security_group.lambda.id]
  }

  tracing_config {
    mode = "Active"
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.dlq.arn
  }

  ephemeral_storage {
    size = 1024
  }
}

resource "aws_lambda_function_url" "preprocess" {
  function_name      = aws_lambda_function.preprocess.function_name
  authorization_type = "AWS_IAM"

  cors {
    allow_origins = ["https://app.example.com"]
    allow_methods = ["POST"]
    max_age       = 86400
  }
}

resource "aws_lambda_permission" "apigw" {
  statement_id  = "AllowAPIGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.preprocess.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.inference.execution_arn}/*/*"
}
