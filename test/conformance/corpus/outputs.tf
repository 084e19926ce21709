output "sagemaker_domain_id" {
  description = "ID of the SageMaker Studio domain."
  value       = aws_sagemaker_domain.studio.id
}

output "user_profile_arns" {
  value = { for name, profile in aws_sagemaker_user_profile.users : name => profile.arn }
}

output "training_subnet_ids" {
  value = module.vpc.private_subnets[*]
}

output "bucket_names" {
  description = "Data lake buckets, by zone."
  value       = [for b in aws_s3_bucket.zone : b.bucket]
}

output "endpoint_urls" {
  value = {
    for k, e in aws_sagemaker_endpoint.model :
    k => "https://runtime.sagemaker.${var.primary_region}.amazonaws.com/endpoints/${e.name}/invocations"
  }
}

output "db_connection_string" {
  value     = "postgresql://mlflow:${var.db_password}@${aws_db_instance.mlflow.address}:5432/mlflow"
  sensitive = true
}

output "gpu_node_group_names" {
  value      = aws_eks_node_group.gpu.*.node_group_name
  depends_on = [aws_eks_node_group.gpu]
}

output "kms_key_arn" {
  value = one(aws_kms_key.data[*].arn)
}

output "first_az" {
  value = data.aws_availability_zones.available.names[0]
}
