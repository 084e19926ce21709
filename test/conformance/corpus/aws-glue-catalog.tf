resource "aws_glue_catalog_database" "features" {
  name        = "ml_features_${var.environment}"
  description = "Feature tables crawled from the curated zone"
}

resource "aws_glue_catalog_table" "events" {
  name          = "events"
  database_name = aws_glue_catalog_database.features.name
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    EXTERNAL              = "TRUE"
    "parquet.compression" = "SNAPPY"
    classification        = "parquet"
  }

  partition_keys {
    name = "dt"
    type = "string"
  }

  partition_keys {
    name = "region"
    type = "string"
  }

  storage_descriptor {
    location      = "s3://${aws_s3_bucket.zone["curated"].bucket}/events/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      name                  = "parquet"
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
      parameters = {
        "serialization.format" = 1
      }
    }

    columns {
      name    = "event_id"
      type    = "string"
      comment = "UUID v4"
    }

    columns {
      name = "user_id"
      type = "bigint"
    }

    columns {
      name = "payload"
      type = "struct<page:string,duration_ms:int,tags:array<string>>"
    }

    columns {
      name = "score"
      type = "double"
    }
  }
}

resource "aws_glue_crawler" "curated" {
  name          = "curated-${var.environment}"
  database_name = aws_glue_catalog_database.features.name
  role          = aws_iam_role.glue.arn
  schedule      = "cron(0 3 * * ? *)"

  s3_target {
    path       = "s3://${aws_s3_bucket.zone["curated"].bucket}/"
    exclusions = ["**/_temporary/**", "**.crc"]
  }

  schema_change_policy {
    delete_behavior = "LOG"
    update_behavior = "UPDATE_IN_DATABASE"
  }

  configuration = jsonencode({
    Version = 1.0
    Grouping = {
      TableGroupingPolicy = "CombineCompatibleSchemas"
    }
  })
}
