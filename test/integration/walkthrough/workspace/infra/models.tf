resource "aws_ecr_repository" "models" {
  name                 = "models"
  image_tag_mutability = "MUTABLE"
}
