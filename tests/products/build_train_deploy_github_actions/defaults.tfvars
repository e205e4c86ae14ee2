# What Studio passes: the two SageMaker parameters and the data scientist's (outside a packaged artifact there is
# no artifacts.json, so no seed push and no dispatch function).
SageMakerProjectName              = "Fraud-Detect"
SageMakerProjectId                = "p-abcdef123456"
CodeConnectionArn                 = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
ModelBuildCodeRepositoryFullname  = "ml-team/fraud-modelbuild"
ModelDeployCodeRepositoryFullname = "ml-team/fraud-modeldeploy"
GitHubTokenSecretArn              = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fraud-github-token-AbCdEf"
