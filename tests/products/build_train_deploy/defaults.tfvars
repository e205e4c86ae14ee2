# Everything Studio passes: the two SageMaker parameters (outside a packaged artifact there is no artifacts.json).
SageMakerProjectName = "Fraud-Detect"
SageMakerProjectId   = "p-abcdef123456"
