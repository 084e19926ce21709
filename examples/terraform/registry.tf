resource "aws_ecr_repository" "inference" {
  name                 = "fraud-scoring-inference"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_repository" "training" {
  name                 = "fraud-scoring-training"
  image_tag_mutability = "MUTABLE"
}
