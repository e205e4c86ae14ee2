# The three rules of the build-train-deploy template.
provider "aws" {
  region = var.region
}

locals {
  account_id   = "123456789012"
  pipeline_arn = "arn:aws:codepipeline:${var.region}:${local.account_id}"
}

module "event_rules" {
  source = "../.."

  account_id  = local.account_id
  name_prefix = var.name
  rules = {
    model-build-code = {
      description         = "A push to the model build repository retrains"
      target_pipeline_arn = "${local.pipeline_arn}:${var.name}-modelbuild"
      event_pattern = jsonencode({
        source        = ["aws.codecommit"]
        "detail-type" = ["CodeCommit Repository State Change"]
        resources     = ["arn:aws:codecommit:${var.region}:${local.account_id}:${var.name}-modelbuild"]
        detail        = { event = ["referenceCreated", "referenceUpdated"], referenceType = ["branch"], referenceName = ["main"] }
      })
    }
    model-deploy-code = {
      description         = "A push to the model deploy repository redeploys"
      target_pipeline_arn = "${local.pipeline_arn}:${var.name}-modeldeploy"
      event_pattern = jsonencode({
        source        = ["aws.codecommit"]
        "detail-type" = ["CodeCommit Repository State Change"]
        resources     = ["arn:aws:codecommit:${var.region}:${local.account_id}:${var.name}-modeldeploy"]
        detail        = { event = ["referenceCreated", "referenceUpdated"], referenceType = ["branch"], referenceName = ["main"] }
      })
    }
    model-approval = {
      description         = "Approving or rejecting a model package deploys the latest approved one"
      target_pipeline_arn = "${local.pipeline_arn}:${var.name}-modeldeploy"
      event_pattern = jsonencode({
        source        = ["aws.sagemaker"]
        "detail-type" = ["SageMaker Model Package State Change"]
        detail        = { ModelPackageGroupName = ["${var.name}-models"], ModelApprovalStatus = ["Approved", "Rejected"] }
      })
    }
  }
  tags = { "sagemaker:project-name" = var.name }
}
