# Hash comment at the top.
// Double-slash comment.
/*
  Block comment spanning
  several lines, with "quotes" and ${not_interpolation}.
*/

resource "aws_cloudwatch_log_group" "training" { # trailing hash comment
  name              = "/ml/training/${var.environment}" // trailing slash comment
  retention_in_days = var.retention_days /* trailing block comment */
  kms_key_id        = aws_kms_key.data[0].arn

  # A comment between attributes.
  tags = {
    # Comment inside an object.
    Team = "platform" // after a value
    /* before a key */ Tier = "gold"
  }
}

/* A block comment before a block */ resource "aws_cloudwatch_log_group" "inference" {
  name = "/ml/inference/${var.environment}"

  retention_in_days = 14 # keep two weeks
}

locals {
  subnets = [
    "10.0.1.0/24", # first AZ
    "10.0.2.0/24", // second AZ
    /* third AZ */ "10.0.3.0/24",
  ]

  # The comment characters inside strings are text, not comments.
  url_with_hash = "https://example.com/docs#section"
  slashes       = "s3://bucket//double//slashes"
  fake_block    = "/* not a comment */"

  computed = max(
    var.retention_days, # from the variable
    7,                  // a floor
  )
}

// Comment at the end of the file.
