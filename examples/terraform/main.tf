# ML platform: dataset and model stores, model-serving image registry,
# and the GPU training hosts.
terraform {
  required_version = "~> 1.9"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }

  backend "s3" {
    bucket       = "acme-ml-terraform-state"
    key          = "ml-platform/terraform.tfstate"
    region       = "eu-central-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = "eu-central-1"

  default_tags {
    tags = {
      owner               = "ml-platform"
      cost-center         = "cc-4410"
      environment         = "prod"
      data-classification = "internal" # baseline; stores of personal data override it
    }
  }
}
