account_id = "123456789012"
alias_name = "demo-project"
region     = "eu-west-1"
