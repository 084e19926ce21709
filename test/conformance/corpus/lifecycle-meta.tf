resource "aws_db_instance" "mlflow" {
  identifier            = "mlflow-${var.environment}"
  engine                = "postgres"
  engine_version        = "16.2"
  instance_class        = local.is_prod ? "db.r6g.large" : "db.t4g.medium"
  allocated_storage     = 50
  max_allocated_storage = 500
  username              = "mlflow"
  password              = random_password.mlflow_db.result
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.data[0].arn
  multi_az              = local.is_prod
  deletion_protection   = local.is_prod
  skip_final_snapshot   = !local.is_prod
  backup_retention_period = local.is_prod ? 14 : 1

  lifecycle {
    prevent_destroy = false
    ignore_changes  = [password, engine_version]

    precondition {
      condition     = !local.is_prod || var.retention_days >= 30
      error_message = "Production requires a retention of at least 30 days."
    }

    postcondition {
      condition     = self.storage_encrypted
      error_message = "The MLflow database must be encrypted."
    }
  }

  timeouts {
    create = "60m"
    delete = "2h"
  }
}

resource "terraform_data" "migrate" {
  triggers_replace = [aws_db_instance.mlflow.id, var.mlflow_version]

  provisioner "local-exec" {
    command     = "mlflow db upgrade postgresql://mlflow@${aws_db_instance.mlflow.address}/mlflow"
    interpreter = ["/bin/bash", "-c"]
    environment = {
      PGPASSWORD = random_password.mlflow_db.result
    }
    when       = create
    on_failure = fail
  }

  lifecycle {
    replace_triggered_by = [aws_db_instance.mlflow.id]
  }
}

resource "null_resource" "warmup" {
  count = local.is_prod ? 1 : 0

  connection {
    type        = "ssh"
    host        = aws_instance.bastion.public_ip
    user        = "ec2-user"
    private_key = file("${path.root}/keys/bastion.pem")
  }

  provisioner "remote-exec" {
    inline = [
      "curl -sf https://${var.public_hostname}/healthz",
      "echo warmed",
    ]
  }

  depends_on = [aws_sagemaker_endpoint.model]
}
