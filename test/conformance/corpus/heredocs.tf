locals {
  plain = <<EOT
Plain heredoc keeps every space.
    Indented line stays indented.

Blank line above is kept.
EOT

  indented = <<-EOT
    The common indentation of four spaces is removed.
      This line keeps two extra spaces.

    A blank line with no spaces is ignored for the minimum.
    EOT

  blank_with_spaces = <<-EOT
      first
        
      third, after a line holding only spaces
    EOT

  interpolated = <<-EOT
    Cluster: ${aws_eks_cluster.ml.name}
    Endpoint: ${aws_eks_cluster.ml.endpoint}
    Nodes: ${join(", ", [for n in var.nodes : n.name])}
    EOT

  line_starts_with_interp = <<-EOT
    header
${var.flush_left} starts at column zero, so nothing is stripped
    footer
    EOT

  escapes_in_heredoc = <<-EOT
    echo "$${HOME}" and %%{ literal } and \n stays as backslash-n
    price: 100% of $PRICE
    EOT

  empty = <<EOT
EOT

  json_doc = <<JSON
{
  "name": "${var.model_name}",
  "framework": "pytorch",
  "hyperparameters": {
    "epochs": 10,
    "batch_size": 64,
    "learning_rate": 0.0003
  }
}
JSON

  tab_indented = <<-EOT
		tab-indented first line
		  tab then two spaces
	EOT

  marker_with_dash = <<-END_OF_SCRIPT
    #!/bin/sh
    echo done
  END_OF_SCRIPT
}

resource "aws_ssm_document" "bootstrap" {
  name          = "ml-bootstrap"
  document_type = "Command"
  content       = <<DOC
schemaVersion: "2.2"
description: Prepare a GPU host for training
mainSteps:
  - action: aws:runShellScript
    name: prepare
    inputs:
      runCommand:
        - nvidia-smi
        - mkdir -p /data/${var.environment}
DOC
}
