"""The model-build code of a SageMaker project: the Abalone pipeline and the tools that run it."""
