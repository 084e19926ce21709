resource "google_bigquery_dataset" "features" {
  dataset_id                  = "features_${var.environment}"
  friendly_name               = "Feature tables"
  description                 = "Offline feature store tables for model training."
  location                    = "EU"
  default_table_expiration_ms = 1000 * 60 * 60 * 24 * 365

  default_encryption_configuration {
    kms_key_name = google_kms_crypto_key.bigquery.id
  }

  access {
    role          = "OWNER"
    special_group = "projectOwners"
  }

  access {
    role           = "READER"
    group_by_email = "ml-readers@example.com"
  }

  access {
    view {
      project_id = var.project_id
      dataset_id = "reporting"
      table_id   = "weekly_metrics"
    }
  }
}

resource "google_bigquery_table" "user_features" {
  dataset_id          = google_bigquery_dataset.features.dataset_id
  table_id            = "user_features"
  deletion_protection = true

  time_partitioning {
    type  = "DAY"
    field = "event_date"
  }

  clustering = ["user_id", "country"]

  schema = jsonencode([
    { name = "user_id", type = "STRING", mode = "REQUIRED" },
    { name = "event_date", type = "DATE", mode = "REQUIRED" },
    { name = "country", type = "STRING", mode = "NULLABLE", description = "ISO 3166-1 alpha-2" },
    { name = "sessions_7d", type = "INT64", mode = "NULLABLE" },
    { name = "embedding", type = "FLOAT64", mode = "REPEATED" },
  ])
}

resource "google_bigquery_table" "predictions" {
  dataset_id = google_bigquery_dataset.features.dataset_id
  table_id   = "predictions"

  schema = <<EOF
[
  {"name": "request_id", "type": "STRING", "mode": "REQUIRED"},
  {"name": "model_version", "type": "STRING", "mode": "REQUIRED"},
  {"name": "score", "type": "FLOAT64", "mode": "NULLABLE"},
  {"name": "served_at", "type": "TIMESTAMP", "mode": "REQUIRED"}
]
EOF
}

resource "google_bigquery_table" "daily_scores" {
  dataset_id = google_bigquery_dataset.features.dataset_id
  table_id   = "daily_scores"

  view {
    use_legacy_sql = false
    query          = <<-SQL
      SELECT
        DATE(served_at) AS day,
        model_version,
        AVG(score) AS avg_score,
        COUNT(*) AS n
      FROM `${var.project_id}.${google_bigquery_dataset.features.dataset_id}.predictions`
      WHERE served_at >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${var.lookback_days} DAY)
      GROUP BY 1, 2
    SQL
  }
}
