# What Studio passes: the two SageMaker parameters and the data scientist's (outside a packaged artifact there is no
# artifacts.json: no seed push and no webhook function).
SageMakerProjectName         = "Fraud-Detect"
SageMakerProjectId           = "p-abcdef123456"
GitCredentialsSecretArn      = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fraud-git-AbCdEf"
ModelBuildCodeRepositoryUrl  = "https://dev.azure.com/contoso/fraud/_git/modelbuild"
ModelDeployCodeRepositoryUrl = "https://dev.azure.com/contoso/fraud/_git/modeldeploy"
