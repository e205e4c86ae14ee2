# Native tests of modules/sagemaker-endpoint.
mock_provider "aws" {}

variables {
  endpoint_name      = "demo-staging"
  model_package_arn  = "arn:aws:sagemaker:eu-west-1:123456789012:model-package/demo-models/3"
  execution_role_arn = "arn:aws:iam::123456789012:role/demo-sagemaker"
  kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  instance           = { instance_type = "ml.m5.large" }
}

run "instance_endpoint" {
  command = plan

  assert {
    condition     = aws_sagemaker_endpoint_configuration.this.production_variants[0].instance_type == "ml.m5.large" && length(aws_sagemaker_endpoint_configuration.this.production_variants[0].serverless_config) == 0
    error_message = "An instance endpoint has an instance variant."
  }

  assert {
    condition     = aws_sagemaker_endpoint.this.tags["mlops:model-package-arn"] == var.model_package_arn && aws_sagemaker_model.this.primary_container[0].model_package_name == var.model_package_arn
    error_message = "The model deploys the package and the endpoint records it."
  }

  assert {
    condition     = length(aws_appautoscaling_target.this) == 0 && length(aws_sagemaker_endpoint_configuration.this.data_capture_config) == 0
    error_message = "No autoscaling and no data capture unless asked."
  }

  assert {
    condition     = aws_sagemaker_endpoint_configuration.this.kms_key_arn == var.kms_key_arn
    error_message = "An instance type with EBS storage encrypts it with the project key."
  }
}

run "ebs_gpu_instance_keeps_the_key" {
  command = plan

  variables {
    instance = { instance_type = "ml.p3.2xlarge" }
  }

  assert {
    condition     = aws_sagemaker_endpoint_configuration.this.kms_key_arn == var.kms_key_arn
    error_message = "ml.p3 has EBS storage only: the endpoint configuration takes the key."
  }
}

run "local_nvme_instance_has_no_endpoint_key" {
  command = plan

  variables {
    instance     = { instance_type = "ml.m5d.large" }
    data_capture = { destination_s3_uri = "s3://b/capture" }
  }

  assert {
    condition     = aws_sagemaker_endpoint_configuration.this.kms_key_arn == null
    error_message = "CreateEndpointConfig rejects KmsKeyId for instance types with local NVMe storage (ml.m5d)."
  }

  assert {
    condition     = aws_sagemaker_endpoint_configuration.this.data_capture_config[0].kms_key_id == var.kms_key_arn
    error_message = "Captured data in S3 is still encrypted with the project key."
  }
}

run "local_nvme_families_without_d_have_no_endpoint_key" {
  command = plan

  variables {
    instance = { instance_type = "ml.g5.xlarge" }
  }

  assert {
    condition     = aws_sagemaker_endpoint_configuration.this.kms_key_arn == null
    error_message = "ml.g5 has local NVMe storage in every size: no KmsKeyId."
  }
}

run "new_package_new_names" {
  command = plan

  variables {
    model_package_arn = "arn:aws:sagemaker:eu-west-1:123456789012:model-package/demo-models/4"
  }

  assert {
    condition     = aws_sagemaker_model.this.name != "demo-staging-${substr(sha256("arn:aws:sagemaker:eu-west-1:123456789012:model-package/demo-models/3"), 0, 8)}" && startswith(aws_sagemaker_model.this.name, "demo-staging-")
    error_message = "A new package must get a new model name."
  }
}

run "serverless_endpoint" {
  command = plan

  variables {
    instance   = null
    serverless = { memory_size_in_mb = 2048, max_concurrency = 5 }
  }

  assert {
    condition     = aws_sagemaker_endpoint_configuration.this.production_variants[0].serverless_config[0].max_concurrency == 5 && aws_sagemaker_endpoint_configuration.this.kms_key_arn == null
    error_message = "A serverless endpoint has a serverless variant."
  }
}

run "autoscaling_and_capture" {
  command = plan

  variables {
    autoscaling  = { min_capacity = 1, max_capacity = 3, target_invocations_per_instance = 50 }
    data_capture = { destination_s3_uri = "s3://b/capture" }
  }

  assert {
    condition     = aws_appautoscaling_target.this[0].max_capacity == 3 && aws_appautoscaling_policy.this[0].target_tracking_scaling_policy_configuration[0].target_value == 50
    error_message = "Autoscaling must track the target."
  }

  assert {
    condition     = aws_sagemaker_endpoint_configuration.this.data_capture_config[0].destination_s3_uri == "s3://b/capture"
    error_message = "Data capture must go to the given URI."
  }
}

run "rejects_both_hostings" {
  command = plan
  variables {
    serverless = { memory_size_in_mb = 2048, max_concurrency = 5 }
  }
  expect_failures = [aws_sagemaker_model.this]
}

run "rejects_serverless_with_capture" {
  command = plan
  variables {
    instance     = null
    serverless   = { memory_size_in_mb = 2048, max_concurrency = 5 }
    data_capture = { destination_s3_uri = "s3://b/capture" }
  }
  expect_failures = [aws_sagemaker_model.this]
}

run "rejects_bad_autoscaling" {
  command = plan
  variables {
    autoscaling = { min_capacity = 3, max_capacity = 1, target_invocations_per_instance = 50 }
  }
  expect_failures = [var.autoscaling]
}

run "rejects_bad_capture_uri" {
  command = plan
  variables {
    data_capture = { destination_s3_uri = "bucket/capture" }
  }
  expect_failures = [var.data_capture]
}

run "rejects_long_endpoint_name" {
  command = plan
  variables {
    endpoint_name = "an-endpoint-name-that-is-much-too-long-for-the-suffixes-to-fit"
  }
  expect_failures = [var.endpoint_name]
}

run "rejects_bad_role" {
  command = plan
  variables {
    execution_role_arn = "role"
  }
  expect_failures = [var.execution_role_arn]
}

run "rejects_non_ml_instance" {
  command = plan
  variables {
    instance = { instance_type = "m5.large" }
  }
  expect_failures = [var.instance]
}

run "rejects_alias_as_key" {
  command = plan
  variables {
    kms_key_arn = "alias/x"
  }
  expect_failures = [var.kms_key_arn]
}

run "rejects_bad_package_arn" {
  command = plan
  variables {
    model_package_arn = "arn:aws:sagemaker:eu-west-1:123456789012:model/demo"
  }
  expect_failures = [var.model_package_arn]
}

run "rejects_bad_serverless_memory" {
  command = plan
  variables {
    instance   = null
    serverless = { memory_size_in_mb = 1500, max_concurrency = 5 }
  }
  expect_failures = [var.serverless]
}
