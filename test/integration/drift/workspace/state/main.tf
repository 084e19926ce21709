# Training data: versioned, so every model names the exact data it saw.
resource "aws_s3_bucket" "datasets" {
  bucket = "acme-ml-datasets"
}

resource "aws_s3_bucket_versioning" "datasets" {
  bucket = aws_s3_bucket.datasets.id

  versioning_configuration {
    status = "Enabled"
  }
}
