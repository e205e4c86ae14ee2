# The first apply of a catalog whose projects may use GitHub Actions: the account's GitHub OIDC provider and its SSM
# parameter besides the bucket, portfolio and personas.
manifest_path = "tests/fixtures/does-not-exist.json"
github_oidc   = { enabled = true }
teams = {
  fraud = {
    principal_arns = { studio = "arn:aws:iam::123456789012:role/fraud-studio-execution" }
  }
}
tags = {
  owner = "ml-platform"
}
