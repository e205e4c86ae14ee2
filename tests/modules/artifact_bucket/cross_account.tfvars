name             = "shared-models-111111111111"
kms_key_arn      = "arn:aws:kms:us-east-1:111111111111:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
read_account_ids = ["333333333333", "222222222222"]
lifecycle_rules  = {}
