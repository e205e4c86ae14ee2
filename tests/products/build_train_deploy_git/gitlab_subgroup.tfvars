# What Studio passes: the two SageMaker parameters and the data scientist's five (outside a packaged artifact
# there is no artifacts.json, so no seed push). A GitLab subgroup path and a non-default deploy branch.
SageMakerProjectName              = "Fraud-Detect"
SageMakerProjectId                = "p-abcdef123456"
CodeConnectionArn                 = "arn:aws:codestar-connections:eu-west-1:123456789012:connection/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
ModelBuildCodeRepositoryFullname  = "risk/fraud/modelbuild"
ModelDeployCodeRepositoryFullname = "risk/fraud/modeldeploy"
ModelDeployCodeRepositoryBranch   = "release"
