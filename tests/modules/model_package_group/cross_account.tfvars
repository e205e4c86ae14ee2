account_id       = "111111111111"
region           = "us-east-1"
name             = "Shared-Models"
read_account_ids = ["333333333333", "222222222222"]
