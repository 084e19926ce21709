# Values for the production workspace.
environment      = "prod"
primary_region   = "eu-west-1"
secondary_region = "eu-central-1"
retention_days   = 90
enable_gpu       = true
vpc_cidr         = "10.40.0.0/16"

training_instance_types = [
  "g5.2xlarge",
  "p4d.24xlarge",
]

notebook_users = {
  "ana.garcia" = {
    email = "ana.garcia@example.com"
    team  = "vision"
    gpu   = true
  }
  "kenji.sato" = {
    email         = "kenji.sato@example.com"
    team          = "ranking"
    instance_type = "ml.m5.xlarge"
  }
}

model_endpoints = {
  ranker = {
    model_data_url = "s3://acme-ml-features-prod/models/ranker/v12/model.tar.gz"
    image          = "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-inference:2.1.0-gpu-py310"
    instance_count = 2
    variants = [
      { name = "current", weight = 0.9 },
      { name = "candidate", weight = 0.1 },
    ]
  }
}

tags = {
  Owner      = "ml-platform@example.com"
  DataClass  = "confidential"
  "Équipe"   = "Plateforme ML"
}
