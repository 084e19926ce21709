resource "aws_security_group" "studio" {
  name        = "ml-studio-${var.environment}"
  description = "SageMaker Studio apps"
  vpc_id      = module.vpc.vpc_id

  ingress {
    description = "NFS from Studio apps to EFS"
    from_port   = 2049
    to_port     = 2049
    protocol    = "tcp"
    self        = true
  }

  ingress {
    description = "Kernel gateway traffic"
    from_port   = 8192
    to_port     = 65535
    protocol    = "tcp"
    self        = true
  }

  egress {
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = [var.vpc_cidr]
    ipv6_cidr_blocks = []
    prefix_list_ids  = [module.vpc_endpoints.endpoints["s3"].prefix_list_id]
  }

  tags = merge(local.common_tags, { Name = "ml-studio" })
}

resource "aws_vpc_security_group_ingress_rule" "mlflow" {
  for_each = toset(var.mlflow_client_cidrs)

  security_group_id = aws_security_group.mlflow.id
  cidr_ipv4         = each.value
  from_port         = 5000
  to_port           = 5000
  ip_protocol       = "tcp"
  description       = "MLflow UI from ${each.value}"
}
