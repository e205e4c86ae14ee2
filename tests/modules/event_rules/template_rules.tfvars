account_id  = "123456789012"
name_prefix = "demo-p-abcdef123456"
rules = {
  model-build-code = {
    description         = "A push to the model build repository retrains"
    target_pipeline_arn = "arn:aws:codepipeline:eu-west-1:123456789012:demo-p-abcdef123456-modelbuild"
    event_pattern       = "{\"source\":[\"aws.codecommit\"],\"detail-type\":[\"CodeCommit Repository State Change\"],\"resources\":[\"arn:aws:codecommit:eu-west-1:123456789012:demo-modelbuild\"],\"detail\":{\"event\":[\"referenceCreated\",\"referenceUpdated\"],\"referenceType\":[\"branch\"],\"referenceName\":[\"main\"]}}"
  }
  model-deploy-code = {
    description         = "A push to the model deploy repository redeploys"
    target_pipeline_arn = "arn:aws:codepipeline:eu-west-1:123456789012:demo-p-abcdef123456-modeldeploy"
    event_pattern       = "{\"source\":[\"aws.codecommit\"],\"detail-type\":[\"CodeCommit Repository State Change\"],\"resources\":[\"arn:aws:codecommit:eu-west-1:123456789012:demo-modeldeploy\"],\"detail\":{\"event\":[\"referenceCreated\",\"referenceUpdated\"],\"referenceType\":[\"branch\"],\"referenceName\":[\"main\"]}}"
  }
  model-approval = {
    description         = "Approving or rejecting a model package deploys the latest approved one"
    target_pipeline_arn = "arn:aws:codepipeline:eu-west-1:123456789012:demo-p-abcdef123456-modeldeploy"
    event_pattern       = "{\"source\":[\"aws.sagemaker\"],\"detail-type\":[\"SageMaker Model Package State Change\"],\"detail\":{\"ModelPackageGroupName\":[\"demo-p-abcdef123456-models\"],\"ModelApprovalStatus\":[\"Approved\",\"Rejected\"]}}"
  }
}
