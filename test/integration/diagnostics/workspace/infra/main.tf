# Feature store for the fraud model.
resource "aws_s3_bucket" "features" {
  bucket = "acme-feature-store"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-inference-logs"
}

resource "aws_ecr_repository" "scorer" {
  name                 = "scorer"
  image_tag_mutability = "MUTABLE"
}

resource "aws_instance" "gpu" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "g5.xlarge"

  metadata_options {
    http_tokens = "optional"
  }
}
