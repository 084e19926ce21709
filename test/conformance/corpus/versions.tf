terraform {
  required_version = ">= 1.6.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 3.90.0"
    }
    google = {
      source                = "hashicorp/google"
      version               = "~> 5.20"
      configuration_aliases = [google.us, google.eu]
    }
    random = {
      source = "hashicorp/random"
    }
  }

  backend "s3" {
    bucket         = "acme-terraform-state"
    key            = "ml-platform/core/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "terraform-locks"
    encrypt        = true
  }
}
