locals {
  # Naming: <org>-<workload>-<env>[-<region>]
  org       = "acme"
  workload  = "ml"
  env_short = { dev = "d", staging = "s", prod = "p" }[var.environment]
  prefix    = "${local.org}-${local.workload}-${local.env_short}"

  region_codes = {
    "eu-west-1"    = "euw1"
    "eu-central-1" = "euc1"
    "us-east-1"    = "use1"
  }
  region_code = lookup(local.region_codes, var.primary_region, "unk")

  common_tags = merge(
    var.tags,
    {
      Organisation = local.org
      Workload     = local.workload
      Environment  = var.environment
      Region       = local.region_code
    },
  )

  is_prod        = var.environment == "prod"
  instance_count = local.is_prod ? 3 : 1
  log_level      = local.is_prod ? "WARN" : (var.debug ? "DEBUG" : "INFO")
  bucket_name    = format("%s-%s-%03d", local.prefix, local.region_code, var.shard)
  short_name     = substr(local.prefix, 0, min(length(local.prefix), 12))
  name_list      = [for s in ["api", "worker", "scheduler"] : "${local.prefix}-${s}"]
  upper_names    = { for n in local.name_list : n => upper(n) }
  service_ports  = { for svc, cfg in var.services : svc => cfg.port if cfg.enabled }
  all_ports      = distinct(flatten([for svc, cfg in var.services : cfg.extra_ports]))
  first_enabled  = try([for s, c in var.services : s if c.enabled][0], null)
  joined         = join("-", compact([local.org, var.team, var.environment]))
  splat_names    = var.services_list[*].name
  legacy_splat   = var.services_list.*.name
  nested_index   = var.matrix[0][1]
  string_index   = var.services["api"].port
  coalesced      = coalesce(var.override_name, local.prefix)
  expanded       = max(var.sizes...)

  # Whitespace at the edges of strings is part of the value.
  separator   = " | "
  indent      = "    "
  padded_name = "  ${local.prefix}  "
  label_text  = " ${var.team} / ${var.environment} "
}
