name          = "SageMaker organization templates"
description   = "SageMaker project templates of the ML platform team"
provider_name = "ML platform team"
principal_arns = {
  studio = "arn:aws:iam::123456789012:role/SageMakerStudioExecution"
  admins = "arn:aws:iam::123456789012:group/MLPlatformAdmins"
}
principal_arn_patterns = {
  data_scientists = "arn:aws:iam:::role/DataScience*"
}
tag_options = {
  team          = ["fraud", "churn"]
  "cost-center" = ["cc-100"]
}
share_account_ids = ["222222222222"]
share_organization_node = {
  type             = "ORGANIZATION"
  value            = "arn:aws:organizations::123456789012:organization/o-abcdefghij"
  share_principals = true
}
tags = { owner = "ml-platform", "cost-center" = "cc-100" }
