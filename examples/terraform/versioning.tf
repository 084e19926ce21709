# The datasets bucket's versioning lives in its own file: Plumbline reads the
# module as a whole, so the companion still counts.
resource "aws_s3_bucket_versioning" "datasets" {
  bucket = aws_s3_bucket.datasets.id

  versioning_configuration {
    status = "Enabled"
  }
}
