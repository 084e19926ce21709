resource "random_password" "mlflow_db" {
  length           = 32
  special          = true
  override_special = "!#$%&*()-_=+[]{}<>:?"
  min_upper        = 2
  min_numeric      = 2
}

resource "aws_secretsmanager_secret" "mlflow_db" {
  name                    = "ml/${var.environment}/mlflow-db"
  description             = "Identifiants de la base MLflow (ne pas partager) 🔐"
  kms_key_id              = aws_kms_key.data[0].arn
  recovery_window_in_days = var.environment == "prod" ? 30 : 0

  replica {
    region = var.secondary_region
  }
}

resource "aws_secretsmanager_secret_version" "mlflow_db" {
  secret_id = aws_secretsmanager_secret.mlflow_db.id
  secret_string = jsonencode({
    username = "mlflow"
    password = random_password.mlflow_db.result
    host     = aws_db_instance.mlflow.address
    port     = 5432
    dbname   = "mlflow"
  })
}

resource "aws_secretsmanager_secret_rotation" "mlflow_db" {
  secret_id           = aws_secretsmanager_secret.mlflow_db.id
  rotation_lambda_arn = aws_lambda_function.rotate.arn

  rotation_rules {
    automatically_after_days = 30
    duration                 = "2h"
  }
}
