resource "aws_sagemaker_pipeline" "retrain" {
  pipeline_name         = "retrain-${var.environment}"
  pipeline_display_name = "Retrain-${title(var.environment)}"
  role_arn              = aws_iam_role.studio_execution.arn

  pipeline_definition = jsonencode({
    Version = "2020-12-01"
    Parameters = [
      { Name = "InputData", Type = "String", DefaultValue = "s3://${aws_s3_bucket.zone["curated"].bucket}/train/" },
      { Name = "Epochs", Type = "Integer", DefaultValue = 10 },
      { Name = "LearningRate", Type = "Float", DefaultValue = 0.0003 },
    ]
    Steps = [
      {
        Name = "Train"
        Type = "Training"
        Arguments = {
          AlgorithmSpecification = {
            TrainingImage     = "${aws_ecr_repository.images["training/pytorch"].repository_url}:latest"
            TrainingInputMode = "FastFile"
          }
          ResourceConfig = {
            InstanceCount  = 1
            InstanceType   = "ml.g5.2xlarge"
            VolumeSizeInGB = 100
          }
          StoppingCondition = { MaxRuntimeInSeconds = 86400 }
          HyperParameters = {
            epochs = { Get = "Parameters.Epochs" }
          }
        }
      },
      {
        Name      = "Evaluate"
        Type      = "Processing"
        DependsOn = ["Train"]
      },
    ]
  })

  parallelism_configuration {
    max_parallel_execution_steps = 4
  }
}

resource "aws_scheduler_schedule" "retrain" {
  name                         = "retrain-weekly"
  schedule_expression          = "cron(0 2 ? * MON *)"
  schedule_expression_timezone = "Europe/Paris"

  flexible_time_window {
    mode                      = "FLEXIBLE"
    maximum_window_in_minutes = 60
  }

  target {
    arn      = "arn:aws:scheduler:::aws-sdk:sagemaker:startPipelineExecution"
    role_arn = aws_iam_role.scheduler.arn
    input = jsonencode({
      PipelineName = aws_sagemaker_pipeline.retrain.pipeline_name
    })

    retry_policy {
      maximum_retry_attempts       = 2
      maximum_event_age_in_seconds = 3600
    }
  }
}
