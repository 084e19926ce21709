resource "aws_ecs_cluster" "tools" {
  name = "ml-tools"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  configuration {
    execute_command_configuration {
      logging = "OVERRIDE"
      log_configuration {
        cloud_watch_log_group_name = aws_cloudwatch_log_group.training.name
      }
    }
  }
}

resource "aws_ecs_task_definition" "mlflow" {
  family                   = "mlflow"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = 2048
  execution_role_arn       = aws_iam_role.ecs_execution.arn
  task_role_arn            = aws_iam_role.mlflow_task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "ARM64"
  }

  container_definitions = jsonencode([
    {
      name      = "mlflow"
      image     = "ghcr.io/mlflow/mlflow:v2.11.1"
      essential = true
      command = [
        "mlflow", "server",
        "--host", "0.0.0.0",
        "--port", "5000",
        "--backend-store-uri", "postgresql://mlflow@${aws_db_instance.mlflow.address}:5432/mlflow",
        "--artifacts-destination", "s3://${aws_s3_bucket.zone["features"].bucket}/mlflow",
      ]
      portMappings = [{ containerPort = 5000, protocol = "tcp" }]
      secrets = [
        { name = "PGPASSWORD", valueFrom = "${aws_secretsmanager_secret.mlflow_db.arn}:password::" },
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.training.name
          awslogs-region        = var.primary_region
          awslogs-stream-prefix = "mlflow"
        }
      }
      healthCheck = {
        command  = ["CMD-SHELL", "curl -f http://localhost:5000/health || exit 1"]
        interval = 30
        retries  = 3
      }
    }
  ])
}

resource "aws_ecs_service" "mlflow" {
  name            = "mlflow"
  cluster         = aws_ecs_cluster.tools.id
  task_definition = aws_ecs_task_definition.mlflow.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = module.vpc.private_subnets
    security_groups = [aws_security_group.mlflow.id]
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.mlflow.arn
    container_name   = "mlflow"
    container_port   = 5000
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
}
