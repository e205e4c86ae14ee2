# Everything Studio passes: the two SageMaker parameters (outside a packaged artifact there is no artifacts.json).
SageMakerProjectName = "Abalone"
SageMakerProjectId   = "p-bt1234567890"
