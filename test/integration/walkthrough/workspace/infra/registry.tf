resource "aws_ecr_repository" "scorer" {
  name                 = "scorer"
  image_tag_mutability = "MUTABLE"
}
