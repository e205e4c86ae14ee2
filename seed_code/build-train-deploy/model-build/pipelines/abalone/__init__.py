"""Abalone age regression: preprocessing, evaluation and the SageMaker Pipeline definition."""
