# What Studio passes: the project only.
SageMakerProjectName = "Fraud-Detect"
SageMakerProjectId   = "p-abcdef123456"
