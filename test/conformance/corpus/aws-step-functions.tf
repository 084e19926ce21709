resource "aws_sfn_state_machine" "batch_inference" {
  name     = "batch-inference-${var.environment}"
  role_arn = aws_iam_role.sfn.arn
  type     = "STANDARD"

  # Step Functions uses JSONPath ($.foo); HCL only interpolates ${...}, and
  # the transform job name is built by the state machine itself with $${...}.
  definition = <<-ASL
    {
      "Comment": "Nightly batch scoring for ${var.environment}",
      "StartAt": "Transform",
      "States": {
        "Transform": {
          "Type": "Task",
          "Resource": "arn:aws:states:::sagemaker:createTransformJob.sync",
          "Parameters": {
            "TransformJobName.$": "States.Format('score-{}', $$.Execution.Name)",
            "ModelName": "${aws_sagemaker_model.model["ranker"].name}",
            "TransformInput": {
              "DataSource": {
                "S3DataSource": {
                  "S3DataType": "S3Prefix",
                  "S3Uri.$": "$.input_uri"
                }
              },
              "ContentType": "application/jsonlines",
              "SplitType": "Line"
            },
            "TransformOutput": {
              "S3OutputPath": "s3://${aws_s3_bucket.zone["features"].bucket}/scores/$${date}/"
            },
            "TransformResources": {
              "InstanceCount": ${var.transform_instances},
              "InstanceType": "ml.m5.xlarge"
            }
          },
          "Retry": [
            { "ErrorEquals": ["SageMaker.AmazonSageMakerException"], "MaxAttempts": 2, "BackoffRate": 2.0 }
          ],
          "End": true
        }
      }
    }
  ASL

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.sfn.arn}:*"
    include_execution_data = true
    level                  = "ERROR"
  }

  tracing_configuration {
    enabled = true
  }
}
