# Strings with escapes and non-ASCII text: accents, CJK, emoji.

locals {
  newline   = "first line\nsecond line"
  quote     = "she said \"ship it\""
  backslash = "C:\\models\\bert"
  tab       = "col1\tcol2"
  unicode   = "caf\u00e9 na\u00efve"
  astral    = "rocket \U0001F680"
  cr        = "windows\r\nline"
  accents   = "Équipe données — São Paulo, Zürich, Kraków"
  cjk       = "機械学習プラットフォーム / 模型训练 / 데이터"
  emoji     = "🚀 deploy ✅ tests 🔥 hot path 👩‍💻"
  mixed     = "模型 ${var.model_name} 已部署 ✅ (${var.environment})"
  dollars   = "$${escaped} ${"$${inner}"} $$ $"
  percents  = "%%{escaped} 50%"
  only_esc  = "\u0024{looks_like_interpolation}"
}

resource "aws_sagemaker_notebook_instance" "demo" {
  name          = "démo-${var.environment}"
  role_arn      = aws_iam_role.studio_execution.arn
  instance_type = "ml.t3.medium"

  tags = {
    "Description"   = "Notebook pour l'équipe données 📓"
    "説明"            = "デモ用ノートブック"
    "owner:email"   = "zoë@example.com"
    "cost-center"   = "ü-42"
  }
}

resource "aws_sns_topic" "alerts" {
  name         = "ml-alerts"
  display_name = "Alertes ML ⚠️"
}
