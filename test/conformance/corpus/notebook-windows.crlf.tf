# Written on Windows: every line ends with CRLF.
resource "aws_sagemaker_notebook_instance" "analyst" {
  name                    = "analyst-${var.environment}"
  role_arn                = aws_iam_role.studio_execution.arn
  instance_type           = "ml.t3.large"
  volume_size             = 50
  direct_internet_access  = "Disabled"
  root_access             = "Disabled"
  lifecycle_config_name   = aws_sagemaker_notebook_instance_lifecycle_configuration.analyst.name

  instance_metadata_service_configuration {
    minimum_instance_metadata_service_version = "2"
  }

  tags = {
    Owner = "analytics" // the analytics team
    Note  = "créé sous Windows"
  }
}

resource "aws_sagemaker_notebook_instance_lifecycle_configuration" "analyst" {
  name = "analyst-autostop"
  on_start = base64encode(<<-EOT
    #!/bin/bash
    set -e
    IDLE_TIME=${var.idle_seconds}
    echo "Auto-stop after $IDLE_TIME seconds"
    (crontab -l 2>/dev/null; echo "*/5 * * * * /usr/bin/python3 /home/ec2-user/autostop.py --time $${IDLE_TIME}") | crontab -
    EOT
  )
}
