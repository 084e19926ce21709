variable "environment" {
  description = "Deployment stage: dev, staging or prod."
  type        = string
  default     = "dev"

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "The environment must be one of dev, staging or prod."
  }
}

variable "primary_region" {
  type    = string
  default = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}-[a-z]+-[0-9]$", var.primary_region))
    error_message = "Use an AWS region name such as \"eu-west-1\"."
  }
}

variable "training_instance_types" {
  description = "Instance types the training queue may use, cheapest first."
  type        = list(string)
  default     = ["g5.xlarge", "g5.2xlarge", "p4d.24xlarge"]

  validation {
    condition     = length(var.training_instance_types) > 0
    error_message = "At least one instance type is required."
  }

  validation {
    condition = alltrue([
      for t in var.training_instance_types : can(regex("^(g|p|trn|inf)[0-9]", t))
    ])
    error_message = "Only accelerated instance families (g, p, trn, inf) are allowed."
  }
}

variable "notebook_users" {
  description = "Data scientists who get a SageMaker user profile."
  type = map(object({
    email         = string
    team          = string
    instance_type = optional(string, "ml.t3.medium")
    gpu           = optional(bool, false)
  }))
  default = {}
}

variable "model_endpoints" {
  type = map(object({
    model_data_url  = string
    image           = string
    instance_count  = number
    variants        = list(object({ name = string, weight = number }))
  }))
}

variable "db_password" {
  type      = string
  sensitive = true
  nullable  = false
}

variable "retention_days" {
  type    = number
  default = 30

  validation {
    condition     = var.retention_days >= 1 && var.retention_days <= 3653
    error_message = "Retention must be between 1 and 3653 days."
  }
}

variable "vpc_cidr" {
  type    = string
  default = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "The VPC CIDR must be a valid IPv4 CIDR block."
  }
}

variable "tags" {
  type    = map(string)
  default = {}
}

variable "enable_gpu" {
  type    = bool
  default = false
}

variable "shared_account_id" {
  type = string
}
