name          = "SageMaker organization templates"
provider_name = "ML platform team"
