# Tags shared by the resources of the fraud-scoring AI system; the provider's
# default_tags add owner, cost-center and environment to every resource.
locals {
  common_tags = {
    data-classification = "confidential"
    ai-system-id        = "fraud-scoring"
    model-name          = "fraud-xgb"
    model-version       = "3.2.0"
  }
}
