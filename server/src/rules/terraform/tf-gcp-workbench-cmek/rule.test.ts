import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [{ name: 'fixture pass.tf (CMEK boot and data disks; a key from a variable is unknown)', code: fixture(__dirname, 'pass.tf') }],
  invalid: [
    {
      name: 'fixture fail.tf (no gce_setup; GMEK boot disk; data disk without encryption)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:48', severity: 'medium', message: 'no gce_setup.boot_disk' },
        { at: '12:25-12:31', severity: 'medium', message: 'disk_encryption = "GMEK"' },
        { at: '15:5-15:15', severity: 'medium', message: 'default "GMEK"' },
      ],
    },
    {
      name: 'fixture fail2.tf (no boot_disk; CMEK data disk without a key)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [
        { at: '5:3-5:12', severity: 'medium', message: 'no gce_setup.boot_disk' },
        { at: '8:5-8:15', severity: 'medium', message: 'sets no kms_key' },
      ],
    },
    {
      name: 'with report_unknown, a key from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '35:25-35:42', severity: 'info', message: /could not evaluate tf-gcp-workbench-cmek: .*var\.workbench_key/ }],
    },
    {
      name: 'quick fix (replace): creates gce_setup.boot_disk with CMEK and the configured key',
      code: `resource "google_workbench_instance" "research" {
  name     = "research-workbench"
  location = "europe-west4-a"
}
`,
      params: { kms_key_ref: 'google_kms_crypto_key.workbench.id' },
      errors: [{ at: '1:1-1:48', severity: 'medium', message: 'no gce_setup.boot_disk' }],
      output: `resource "google_workbench_instance" "research" {
  name     = "research-workbench"
  location = "europe-west4-a"

  gce_setup {
    boot_disk {
      disk_encryption = "CMEK"
      kms_key         = google_kms_crypto_key.workbench.id
    }
  }
}
`,
    },
    {
      name: 'quick fix (replace, placeholder): sets CMEK on the data disk the finding is about',
      code: `resource "google_workbench_instance" "research" {
  name     = "research-workbench"
  location = "europe-west4-a"

  gce_setup {
    boot_disk {
      disk_encryption = "CMEK"
      kms_key         = google_kms_crypto_key.workbench.id
    }

    data_disks {
      disk_size_gb    = 100
      disk_encryption = "CMEK"
      kms_key         = google_kms_crypto_key.workbench.id
    }

    data_disks {
      disk_size_gb = 500
    }
  }
}
`,
      errors: [{ at: '17:5-17:15', severity: 'medium', message: 'data_disks of' }],
      output: `resource "google_workbench_instance" "research" {
  name     = "research-workbench"
  location = "europe-west4-a"

  gce_setup {
    boot_disk {
      disk_encryption = "CMEK"
      kms_key         = google_kms_crypto_key.workbench.id
    }

    data_disks {
      disk_size_gb    = 100
      disk_encryption = "CMEK"
      kms_key         = google_kms_crypto_key.workbench.id
    }

    data_disks {
      disk_size_gb    = 500
      disk_encryption = "CMEK"
      kms_key         = "REPLACE_ME"
    }
  }
}
`,
    },
  ],
});
