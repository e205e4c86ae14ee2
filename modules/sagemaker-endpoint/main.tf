locals {
  serverless = var.serverless != null
  # Endpoint configurations are immutable: a new model package or new hosting settings get new names, and
  # create_before_destroy swaps them under the endpoint without downtime.
  model_suffix  = substr(sha256(var.model_package_arn), 0, 8)
  config_suffix = substr(sha256(jsonencode([var.model_package_arn, var.instance, var.serverless, var.data_capture])), 0, 8)
  tags          = merge(var.tags, { "mlops:model-package-arn" = var.model_package_arn })

  # Instance types with local NVMe instance storage encrypt it with a hardware module, and CreateEndpointConfig
  # rejects a KmsKeyId for them. The rule: a family with a "d" among its attribute letters after the generation
  # (ml.m5d, ml.c5d, ml.r5d, ml.m6id, ml.m6gd, ml.g4dn, ml.p3dn, ml.p4d, ml.p4de, ...), or one of the families
  # below, which have local NVMe storage in every size without saying so in their name.
  nvme_families   = ["dl1", "g5", "g6", "g6e", "p5", "p5e", "p5en", "p6-b200", "trn1", "trn1n", "trn2"]
  instance_family = var.instance == null ? "" : try(split(".", var.instance.instance_type)[1], "")
  local_storage   = can(regex("^[a-z]+[0-9]+[a-z-]*d[a-z]*$", local.instance_family)) || contains(local.nvme_families, local.instance_family)
  # Serverless endpoints take no KmsKeyId either.
  endpoint_kms_key_arn = local.serverless || local.local_storage ? null : var.kms_key_arn
}

resource "aws_sagemaker_model" "this" {
  name                     = "${var.endpoint_name}-${local.model_suffix}"
  execution_role_arn       = var.execution_role_arn
  enable_network_isolation = var.enable_network_isolation
  tags                     = local.tags

  primary_container {
    model_package_name = var.model_package_arn
  }

  dynamic "vpc_config" {
    for_each = var.vpc_config == null ? [] : [var.vpc_config]
    content {
      subnets            = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = (var.instance == null) != (var.serverless == null)
      error_message = "Give exactly one of instance and serverless."
    }

    precondition {
      condition     = !(local.serverless && (var.data_capture != null || var.autoscaling != null))
      error_message = "Serverless endpoints support neither data capture nor autoscaling settings (they scale by max_concurrency)."
    }
  }
}

resource "aws_sagemaker_endpoint_configuration" "this" {
  name        = "${var.endpoint_name}-${local.config_suffix}"
  kms_key_arn = local.endpoint_kms_key_arn
  tags        = local.tags

  production_variants {
    variant_name           = "AllTraffic"
    model_name             = aws_sagemaker_model.this.name
    instance_type          = local.serverless ? null : var.instance.instance_type
    initial_instance_count = local.serverless ? null : var.instance.initial_instance_count

    dynamic "serverless_config" {
      for_each = local.serverless ? [var.serverless] : []
      content {
        memory_size_in_mb = serverless_config.value.memory_size_in_mb
        max_concurrency   = serverless_config.value.max_concurrency
      }
    }
  }

  dynamic "data_capture_config" {
    for_each = var.data_capture == null ? [] : [var.data_capture]
    content {
      enable_capture              = true
      initial_sampling_percentage = data_capture_config.value.initial_sampling_percentage
      destination_s3_uri          = data_capture_config.value.destination_s3_uri
      kms_key_id                  = var.kms_key_arn

      capture_options {
        capture_mode = "Input"
      }

      capture_options {
        capture_mode = "Output"
      }

      capture_content_type_header {
        csv_content_types  = ["text/csv"]
        json_content_types = ["application/json"]
      }
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint" "this" {
  name                 = var.endpoint_name
  endpoint_config_name = aws_sagemaker_endpoint_configuration.this.name
  tags                 = local.tags
}

resource "aws_appautoscaling_target" "this" {
  count = var.autoscaling == null ? 0 : 1

  service_namespace  = "sagemaker"
  resource_id        = "endpoint/${aws_sagemaker_endpoint.this.name}/variant/AllTraffic"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  min_capacity       = var.autoscaling.min_capacity
  max_capacity       = var.autoscaling.max_capacity
  tags               = var.tags
}

resource "aws_appautoscaling_policy" "this" {
  count = var.autoscaling == null ? 0 : 1

  name               = "${var.endpoint_name}-invocations"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  resource_id        = aws_appautoscaling_target.this[0].resource_id
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling.target_invocations_per_instance
    scale_in_cooldown  = var.autoscaling.scale_in_cooldown_seconds
    scale_out_cooldown = var.autoscaling.scale_out_cooldown_seconds

    predefined_metric_specification {
      predefined_metric_type = "SageMakerVariantInvocationsPerInstance"
    }
  }
}
