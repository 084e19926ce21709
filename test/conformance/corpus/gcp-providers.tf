provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = {
    project     = "ml-platform"
    environment = var.environment
    managed_by  = "terraform"
  }

  batching {
    send_after      = "10s"
    enable_batching = true
  }
}

provider "google" {
  alias   = "us"
  project = var.project_id
  region  = "us-central1"
}

provider "google" {
  alias                       = "eu"
  project                     = var.project_id
  region                      = "europe-west4"
  impersonate_service_account = "terraform@${var.project_id}.iam.gserviceaccount.com"
}

provider "google-beta" {
  project = var.project_id
  region  = var.region
}
