import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const BLOB = '  blob_properties {\n    versioning_enabled  = true\n    change_feed_enabled = true\n    delete_retention_policy {\n      days = 7\n    }\n  }\n';
const model = (extra: string) => `resource "azurerm_storage_account" "m" {\n${BLOB}${extra}  tags = {\n    ai-asset-type = "model"\n  }\n}\n`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (account policy, container policy, a versioning flag from a variable is unknown, untagged account)', code: fixture(__dirname, 'pass.tf') },
    {
      name: 'require_locked satisfied by a Locked account policy',
      code: model('  immutability_policy {\n    state                         = "Locked"\n    period_since_creation_in_days = 200\n    allow_protected_append_writes = false\n  }\n'),
      params: { require_locked: true },
    },
    { name: 'an account whose id leaves the module may have container policies elsewhere', code: `${model('')}\noutput "id" {\n  value = azurerm_storage_account.m.id\n}\n` },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no blob_properties and no immutability; versioning false, no change feed, short soft delete)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:44', severity: 'high', message: 'has no blob_properties' },
        { at: '1:1-1:44', severity: 'high', message: 'no immutability policy' },
        { at: '17:26-17:31', severity: 'high', message: 'versioning_enabled = false' },
        { at: '16:3-16:18', severity: 'high', message: 'does not set change_feed_enabled' },
        { at: '20:14-20:15', severity: 'high', message: 'for 3 days' },
      ],
    },
    {
      name: 'fixture fail2.tf (Disabled state and short period; HNS versioning unknown; short container policy)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [
        { at: '16:37-16:47', message: 'state = "Disabled"' },
        { at: '17:37-17:39', message: 'less than min_retention_days = 183' },
        { at: '44:43-44:45', message: 'immutability_period_in_days = 183' },
      ],
    },
    {
      name: 'require_locked rejects an Unlocked account policy',
      code: model('  immutability_policy {\n    state                         = "Unlocked"\n    period_since_creation_in_days = 200\n    allow_protected_append_writes = false\n  }\n'),
      params: { require_locked: true },
      errors: [{ at: '10:37-10:47', message: 'Set state = "Locked"' }],
    },
    {
      name: 'with report_unknown, a value from a variable and an HNS account are info notes',
      code: `${fixture(__dirname, 'pass.tf')}\nresource "azurerm_storage_account" "lake" {\n  is_hns_enabled = true\n  tags = {\n    ai-asset-type = "eval"\n  }\n}\n`,
      params: { report_unknown: true },
      errors: [
        { at: '60:27-60:41', severity: 'info', message: 'depends on var.versioning' },
        { at: '80:20-80:24', severity: 'info', message: 'hierarchical-namespace' },
      ],
    },
    {
      name: 'quick fix: creates blob_properties with versioning, change feed and soft delete',
      code: `resource "azurerm_storage_account" "models" {
  name                     = "acmemodels"
  account_tier             = "Standard"
  account_replication_type = "GRS"

  immutability_policy {
    state                         = "Unlocked"
    period_since_creation_in_days = 183
    allow_protected_append_writes = false
  }

  tags = {
    ai-asset-type = "dataset"
  }
}
`,
      errors: [{ at: '1:1-1:44', severity: 'high', message: 'has no blob_properties' }],
      output: `resource "azurerm_storage_account" "models" {
  name                     = "acmemodels"
  account_tier             = "Standard"
  account_replication_type = "GRS"

  immutability_policy {
    state                         = "Unlocked"
    period_since_creation_in_days = 183
    allow_protected_append_writes = false
  }

  tags = {
    ai-asset-type = "dataset"
  }

  blob_properties {
    versioning_enabled  = true
    change_feed_enabled = true

    delete_retention_policy {
      days = 7
    }
  }
}
`,
    },
    {
      name: 'quick fix: inserts change_feed_enabled = true into blob_properties',
      code: `resource "azurerm_storage_account" "models" {
  name                     = "acmemodels"
  account_tier             = "Standard"
  account_replication_type = "GRS"

  blob_properties {
    versioning_enabled = true

    delete_retention_policy {
      days = 7
    }
  }

  immutability_policy {
    state                         = "Unlocked"
    period_since_creation_in_days = 183
    allow_protected_append_writes = false
  }

  tags = {
    ai-asset-type = "dataset"
  }
}
`,
      errors: [{ at: '6:3-6:18', severity: 'high', message: 'does not set change_feed_enabled' }],
      output: `resource "azurerm_storage_account" "models" {
  name                     = "acmemodels"
  account_tier             = "Standard"
  account_replication_type = "GRS"

  blob_properties {
    versioning_enabled  = true
    change_feed_enabled = true

    delete_retention_policy {
      days = 7
    }
  }

  immutability_policy {
    state                         = "Unlocked"
    period_since_creation_in_days = 183
    allow_protected_append_writes = false
  }

  tags = {
    ai-asset-type = "dataset"
  }
}
`,
    },
    {
      name: 'quick fix: sets versioning_enabled = true',
      code: `resource "azurerm_storage_account" "models" {
  name                     = "acmemodels"
  account_tier             = "Standard"
  account_replication_type = "GRS"

  blob_properties {
    versioning_enabled  = false
    change_feed_enabled = true

    delete_retention_policy {
      days = 7
    }
  }

  immutability_policy {
    state                         = "Unlocked"
    period_since_creation_in_days = 183
    allow_protected_append_writes = false
  }

  tags = {
    ai-asset-type = "dataset"
  }
}
`,
      errors: [{ at: '7:27-7:32', severity: 'high', message: 'sets versioning_enabled = false' }],
      output: `resource "azurerm_storage_account" "models" {
  name                     = "acmemodels"
  account_tier             = "Standard"
  account_replication_type = "GRS"

  blob_properties {
    versioning_enabled  = true
    change_feed_enabled = true

    delete_retention_policy {
      days = 7
    }
  }

  immutability_policy {
    state                         = "Unlocked"
    period_since_creation_in_days = 183
    allow_protected_append_writes = false
  }

  tags = {
    ai-asset-type = "dataset"
  }
}
`,
    },
  ],
});
