# Provider configuration for the ML platform accounts.
# The default provider targets the shared-services account; aliased
# providers reach the training and inference accounts.

provider "aws" {
  region = var.primary_region

  default_tags {
    tags = {
      Project     = "ml-platform"
      Environment = var.environment
      CostCenter  = "cc-4711"
      ManagedBy   = "terraform"
    }
  }
}

provider "aws" {
  alias  = "training"
  region = var.primary_region

  assume_role {
    role_arn     = "arn:aws:iam::${var.training_account_id}:role/TerraformDeployer"
    session_name = "ml-platform-training"
    external_id  = var.deployer_external_id
  }

  default_tags {
    tags = {
      Project     = "ml-platform"
      Environment = var.environment
      Workload    = "training"
    }
  }
}

provider "aws" {
  alias  = "inference"
  region = var.secondary_region

  assume_role {
    role_arn = "arn:aws:iam::${var.inference_account_id}:role/TerraformDeployer"
  }

  ignore_tags {
    key_prefixes = ["kubernetes.io/", "karpenter.sh/"]
  }

  default_tags {
    tags = {
      Project  = "ml-platform"
      Workload = "inference"
    }
  }
}

provider "aws" {
  alias                       = "us_east_1"
  region                      = "us-east-1"
  skip_metadata_api_check     = true
  max_retries                 = 5
  allowed_account_ids         = [var.shared_account_id]
}
