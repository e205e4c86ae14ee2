manifest_path = "tests/fixtures/manifest.json"
tag_options = {
  cost-center = ["cc-100", "cc-200"]
}
teams = {
  fraud = {
    principal_arns         = { studio = "arn:aws:iam::123456789012:role/fraud-studio-execution" }
    principal_arn_patterns = { sso = "arn:aws:iam:::role/aws-reserved/sso.amazonaws.com/*FraudDataScientist*" }
  }
  churn = {
    description       = "Churn prediction team"
    products          = []
    share_account_ids = ["222222222222"]
  }
}
create_persona_roles = true
persona_trust_principal_arns = {
  platform-admin            = ["arn:aws:iam::123456789012:role/platform-admins"]
  data-scientist-fraud      = ["arn:aws:iam::123456789012:role/fraud-ds"]
  lead-data-scientist-fraud = ["arn:aws:iam::123456789012:role/fraud-lead"]
  data-scientist-churn      = ["arn:aws:iam::123456789012:role/churn-ds"]
  lead-data-scientist-churn = ["arn:aws:iam::123456789012:role/churn-lead"]
}
tags = {
  owner = "ml-platform"
}
