variable "training_ami" {
  type        = string
  description = "AMI of the GPU training hosts (Deep Learning AMI)."
}

# GPU training host: its instance metadata still answers IMDSv1.
resource "aws_instance" "trainer" {
  ami           = var.training_ami
  instance_type = "p4d.24xlarge"
}

# Launch template of the inference node group: IMDSv2 only.
resource "aws_launch_template" "inference_nodes" {
  name_prefix   = "inference-"
  image_id      = var.training_ami
  instance_type = "g5.2xlarge"

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }
}
