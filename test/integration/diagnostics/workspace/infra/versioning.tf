# The feature store's versioning lives in another file of the same module.
resource "aws_s3_bucket_versioning" "features" {
  bucket = aws_s3_bucket.features.id

  versioning_configuration {
    status = "Enabled"
  }
}
