# The first apply: no manifest yet, so only the bucket, its parameter, the portfolios and the personas.
manifest_path = "tests/fixtures/does-not-exist.json"
teams = {
  fraud = {
    principal_arns = { studio = "arn:aws:iam::123456789012:role/fraud-studio-execution" }
  }
}
