account_id  = "123456789012"
region      = "eu-west-1"
name        = "demo-p-abcdef123456-models"
description = "Models of demo"
tags        = { "sagemaker:project-id" = "p-abcdef123456" }
