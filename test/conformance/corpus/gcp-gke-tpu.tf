resource "google_container_cluster" "ml" {
  provider = google-beta
  name     = "gke-ml-${var.environment}"
  location = var.region

  remove_default_node_pool = true
  initial_node_count       = 1
  networking_mode          = "VPC_NATIVE"

  release_channel {
    channel = "REGULAR"
  }

  workload_identity_config {
    workload_pool = "${var.project_id}.svc.id.goog"
  }

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = false
    master_ipv4_cidr_block  = "172.16.0.32/28"
  }

  master_authorized_networks_config {
    dynamic "cidr_blocks" {
      for_each = var.authorized_networks
      content {
        cidr_block   = cidr_blocks.value.cidr
        display_name = cidr_blocks.value.name
      }
    }
  }

  addons_config {
    gcs_fuse_csi_driver_config {
      enabled = true
    }
    gce_persistent_disk_csi_driver_config {
      enabled = true
    }
  }
}

resource "google_container_node_pool" "gpu" {
  name     = "gpu-l4"
  cluster  = google_container_cluster.ml.id
  location = var.region

  autoscaling {
    total_min_node_count = 0
    total_max_node_count = 16
    location_policy      = "ANY"
  }

  node_config {
    machine_type = "g2-standard-8"
    spot         = true
    disk_size_gb = 200
    oauth_scopes = ["https://www.googleapis.com/auth/cloud-platform"]

    guest_accelerator {
      type  = "nvidia-l4"
      count = 1
      gpu_driver_installation_config {
        gpu_driver_version = "LATEST"
      }
    }

    taint {
      key    = "nvidia.com/gpu"
      value  = "present"
      effect = "NO_SCHEDULE"
    }

    labels = {
      accelerator = "l4"
    }

    metadata = {
      disable-legacy-endpoints = "true"
      startup-script           = <<-EOT
        #!/bin/bash
        echo "node for ${google_container_cluster.ml.name}" > /etc/motd
        sysctl -w vm.max_map_count=262144
      EOT
    }
  }
}

resource "google_container_node_pool" "tpu" {
  count    = var.enable_tpu ? 1 : 0
  name     = "tpu-v5e"
  cluster  = google_container_cluster.ml.id
  location = var.region

  node_config {
    machine_type = "ct5lp-hightpu-4t"
    reservation_affinity {
      consume_reservation_type = "NO_RESERVATION"
    }
  }

  placement_policy {
    type         = "COMPACT"
    tpu_topology = "2x4"
  }
}
