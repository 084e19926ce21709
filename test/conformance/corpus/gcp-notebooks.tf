resource "google_workbench_instance" "research" {
  for_each = var.researchers
  name     = "wb-${replace(lower(each.key), "_", "-")}"
  location = "${var.region}-a"

  gce_setup {
    machine_type = each.value.gpu ? "g2-standard-8" : "e2-standard-4"

    dynamic "accelerator_configs" {
      for_each = each.value.gpu ? [1] : []
      content {
        type       = "NVIDIA_L4"
        core_count = 1
      }
    }

    boot_disk {
      disk_size_gb = 150
      disk_type    = "PD_BALANCED"
    }

    data_disks {
      disk_size_gb = each.value.data_disk_gb
      disk_type    = "PD_SSD"
    }

    metadata = {
      terraform                 = "true"
      idle-timeout-seconds      = "10800"
      "notebook-disable-root"   = "true"
      report-event-health       = "true"
      owner-display-name        = each.value.display_name
    }

    shielded_instance_config {
      enable_secure_boot          = true
      enable_vtpm                 = true
      enable_integrity_monitoring = true
    }
  }

  instance_owners = [each.value.email]

  labels = {
    owner = split("@", each.value.email)[0]
  }
}
