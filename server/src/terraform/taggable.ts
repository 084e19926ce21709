/**
 * Resource types whose provider schema has a `tags` (AWS, azurerm) or
 * `labels` (google) argument, for the types governance rules meet most.
 * Plumbline has no provider schemas; a resource of another type is treated
 * as taggable as soon as it writes `tags`/`labels` itself.
 */
const TAGGABLE = new Set(
  `aws_s3_bucket aws_instance aws_launch_template aws_ebs_volume aws_ami aws_ecr_repository aws_db_instance aws_rds_cluster
aws_dynamodb_table aws_kms_key aws_lambda_function aws_iam_role aws_iam_user aws_iam_policy aws_vpc aws_subnet aws_security_group
aws_internet_gateway aws_nat_gateway aws_eip aws_lb aws_cloudtrail aws_cloudwatch_log_group aws_sns_topic aws_sqs_queue
aws_eks_cluster aws_eks_node_group aws_ecs_cluster aws_ecs_service aws_ecs_task_definition aws_efs_file_system
aws_elasticache_cluster aws_secretsmanager_secret aws_kinesis_stream aws_kinesis_firehose_delivery_stream aws_glue_job
aws_glue_catalog_database aws_emr_cluster aws_redshift_cluster aws_opensearch_domain aws_api_gateway_rest_api aws_ssm_parameter
aws_cloudfront_distribution aws_route53_zone aws_backup_vault aws_sfn_state_machine aws_batch_compute_environment
aws_sagemaker_notebook_instance aws_sagemaker_endpoint aws_sagemaker_endpoint_configuration aws_sagemaker_model
aws_sagemaker_domain aws_sagemaker_feature_group aws_sagemaker_pipeline aws_sagemaker_model_package_group
aws_sagemaker_user_profile aws_sagemaker_space aws_sagemaker_code_repository aws_sagemaker_data_quality_job_definition
aws_bedrock_custom_model aws_bedrock_provisioned_model_throughput aws_bedrock_guardrail aws_bedrockagent_agent
aws_bedrockagent_knowledge_base aws_autoscaling_group
azurerm_resource_group azurerm_storage_account azurerm_key_vault azurerm_cognitive_account azurerm_machine_learning_workspace
azurerm_machine_learning_compute_cluster azurerm_machine_learning_compute_instance azurerm_ai_services azurerm_ai_foundry
azurerm_ai_foundry_project azurerm_kubernetes_cluster azurerm_linux_virtual_machine azurerm_windows_virtual_machine
azurerm_virtual_network azurerm_container_registry azurerm_postgresql_flexible_server azurerm_mssql_server
azurerm_mssql_database azurerm_cosmosdb_account azurerm_search_service azurerm_log_analytics_workspace
azurerm_application_insights azurerm_data_factory azurerm_databricks_workspace azurerm_network_security_group
azurerm_public_ip azurerm_user_assigned_identity azurerm_eventhub_namespace azurerm_servicebus_namespace
google_storage_bucket google_compute_instance google_compute_disk google_compute_image google_bigquery_dataset
google_bigquery_table google_vertex_ai_dataset google_vertex_ai_endpoint google_vertex_ai_featurestore google_vertex_ai_index
google_vertex_ai_index_endpoint google_vertex_ai_tensorboard google_vertex_ai_feature_online_store google_workbench_instance
google_notebooks_instance google_pubsub_topic google_pubsub_subscription google_kms_crypto_key google_cloud_run_v2_service
google_cloud_run_v2_job google_cloudfunctions2_function google_artifact_registry_repository google_secret_manager_secret
google_dataproc_cluster google_filestore_instance google_redis_instance google_spanner_instance google_bigtable_instance`.split(/\s+/),
);

/** Whether the provider schema of `type` has `tags` / `labels` (see above for the limits). */
export function isTaggableType(type: string): boolean {
  return TAGGABLE.has(type);
}

/** `tags` for AWS and azurerm, `labels` for google; undefined for other providers. */
export function tagAttributeName(type: string): 'tags' | 'labels' | undefined {
  if (type.startsWith('aws_') || type.startsWith('azurerm_')) return 'tags';
  if (type.startsWith('google_')) return 'labels';
  return undefined;
}
