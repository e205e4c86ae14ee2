name              = "Shared templates"
provider_name     = "ML platform team"
tag_options       = { team = ["fraud"] }
share_account_ids = ["333333333333", "222222222222"]
