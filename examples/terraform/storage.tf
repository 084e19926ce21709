# Training datasets: versioned, so every model can name the exact data it saw.
resource "aws_s3_bucket" "datasets" {
  bucket = "acme-ml-datasets-prod"

  tags = merge(local.common_tags, {
    ai-asset-type   = "dataset"
    dataset-version = "2026-11-01"
  })
}

# Model artifacts (weights, tokenizers, eval reports).
resource "aws_s3_bucket" "models" {
  bucket = "acme-ml-models-prod"

  tags = {
    ai-asset-type = "model"
  }
}

resource "aws_s3_bucket_versioning" "models" {
  bucket = aws_s3_bucket.models.id

  versioning_configuration {
    status = "Suspended"
  }
}

# Scratch space for notebooks; nobody versioned it.
resource "aws_s3_bucket" "scratch" {
  bucket = "acme-ml-scratch"
}
