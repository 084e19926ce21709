# Template directives in quoted strings and heredocs, with and without strip markers.

locals {
  env_suffix   = "%{if var.environment != "prod"}-${var.environment}%{endif}"
  env_label    = "%{ if var.environment == "prod" }production%{ else }non-production%{ endif }"
  nested       = "%{ for k, v in var.tags }%{ if v != "" }${k}=${v};%{ endif }%{ endfor }"
  stripped     = "hosts: %{~ for h in var.hosts ~} ${h}, %{~ endfor ~} ."
  inline_cond  = "bucket-${var.enable_gpu ? "gpu" : "cpu"}-${var.environment}"
  inline_num   = "replicas=${var.enable_gpu ? 2 : 1}"
  only_interp  = "${var.environment}"
  wrapped_cond = "${var.environment == "prod" ? "p" : "np"}"
  literal_in   = "v${1}.${0}-${"rc"}"
  escaped      = "literal $${not_interpolated} and %%{not_a_directive} but ${var.real}"
  empty_else   = "%{if var.enable_gpu}gpu%{else}%{endif}"
  percent      = "utilisation above 90% for ${var.minutes} minutes"
  dollar       = "costs $5 per hour, see $HOME and ${local.env_label}"

  hosts_file = <<EOT
%{ for name, ip in var.static_hosts ~}
${ip}    ${name}.internal ${name}
%{ endfor ~}
127.0.0.1 localhost
EOT

  nginx_conf = <<-CONF
    upstream model {
      %{~ for i, addr in var.backends ~}
      server ${addr}:8080 weight=${i + 1};
      %{~ endfor ~}
    }

    server {
      listen 443 ssl;
      %{ if var.environment == "prod" }
      ssl_protocols TLSv1.3;
      %{ else }
      ssl_protocols TLSv1.2 TLSv1.3;
      %{ endif }
      location / {
        proxy_pass http://model;
        proxy_set_header Host $host;
        proxy_set_header X-Request-Id $${request_id};
      }
    }
  CONF

  startup = <<-SH
    #!/usr/bin/env bash
    %{~ if var.enable_gpu ~}
    nvidia-smi --persistence-mode=1
    %{~ endif ~}
    export MODEL_DIR="/opt/models/${var.model_name}"
    %{ for m in var.models ~}
    aws s3 sync "s3://${var.bucket}/${m}" "$MODEL_DIR/${m}"
    %{ endfor }
    exec python -m server --port=${var.port}
  SH

  yaml_values = <<YAML
replicaCount: ${var.replicas}
resources:
  limits:
%{ if var.enable_gpu ~}
    nvidia.com/gpu: 1
%{ endif ~}
    memory: ${var.memory}
tolerations:
%{~ for t in var.tolerations }
  - key: ${t.key}
    operator: Exists
%{~ endfor }
YAML
}
