# A root module whose recorded state matches the code: the Drift view shows it in sync.
resource "random_id" "suffix" {
  byte_length = 8
}
