account_id        = "111111111111"
alias_name        = "shared-models"
region            = "us-east-1"
other_account_ids = ["333333333333", "222222222222"]
