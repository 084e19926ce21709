resource "google_composer_environment" "pipelines" {
  name   = "ml-pipelines-${var.environment}"
  region = var.region

  config {
    software_config {
      image_version = "composer-2.6.5-airflow-2.7.3"

      airflow_config_overrides = {
        "core-dags_are_paused_at_creation" = "True"
        "scheduler-catchup_by_default"     = "False"
        "webserver-default_ui_timezone"    = "Europe/Berlin"
      }

      pypi_packages = {
        "apache-airflow-providers-google" = ">=10.13.0"
        "scikit-learn"                    = "==1.4.0"
        "xgboost"                         = ""
      }

      env_variables = {
        ML_BUCKET   = google_storage_bucket.ml["datasets"].name
        ENVIRONMENT = upper(var.environment)
      }
    }

    workloads_config {
      scheduler {
        cpu        = 2
        memory_gb  = 7.5
        storage_gb = 5
        count      = 2
      }
      web_server {
        cpu        = 1
        memory_gb  = 2.5
        storage_gb = 5
      }
      worker {
        cpu        = 4
        memory_gb  = 16
        storage_gb = 10
        min_count  = 1
        max_count  = 6
      }
    }

    environment_size = "ENVIRONMENT_SIZE_MEDIUM"

    node_config {
      network         = google_compute_network.ml.id
      subnetwork      = google_compute_subnetwork.ml.id
      service_account = google_service_account.workload["trainer"].email
    }
  }
}
