resource "google_vertex_ai_dataset" "images" {
  display_name        = "product-images-${var.environment}"
  metadata_schema_uri = "gs://google-cloud-aiplatform/schema/dataset/metadata/image_1.0.0.yaml"
  region              = var.region

  encryption_spec {
    kms_key_name = google_kms_crypto_key.vertex.id
  }

  labels = {
    team = "vision"
  }
}

resource "google_vertex_ai_endpoint" "ranking" {
  name         = "ranking-${var.environment}"
  display_name = "Ranking model (${var.environment})"
  description  = "Online ranking endpoint — p99 < 50 ms"
  location     = var.region
  network      = "projects/${data.google_project.this.number}/global/networks/${google_compute_network.ml.name}"

  encryption_spec {
    kms_key_name = google_kms_crypto_key.vertex.id
  }
}

resource "google_vertex_ai_featurestore" "main" {
  name   = "main_${var.environment}"
  region = var.region

  online_serving_config {
    scaling {
      min_node_count = 1
      max_node_count = var.environment == "prod" ? 10 : 2
    }
  }

  force_destroy = var.environment != "prod"
}

resource "google_vertex_ai_featurestore_entitytype" "user" {
  name         = "user"
  featurestore = google_vertex_ai_featurestore.main.id

  monitoring_config {
    snapshot_analysis {
      disabled                 = false
      monitoring_interval_days = 1
      staleness_days           = 21
    }

    numerical_threshold_config {
      value = 0.8
    }

    categorical_threshold_config {
      value = 10.0
    }
  }
}

resource "google_vertex_ai_index" "embeddings" {
  display_name = "product-embeddings"
  region       = var.region

  metadata {
    contents_delta_uri = "gs://${google_storage_bucket.ml["embeddings"].name}/delta"
    config {
      dimensions                  = 768
      approximate_neighbors_count = 150
      distance_measure_type       = "DOT_PRODUCT_DISTANCE"
      shard_size                  = "SHARD_SIZE_MEDIUM"

      algorithm_config {
        tree_ah_config {
          leaf_node_embedding_count    = 1000
          leaf_nodes_to_search_percent = 7
        }
      }
    }
  }

  index_update_method = "STREAM_UPDATE"
}
