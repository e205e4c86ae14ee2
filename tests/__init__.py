"""Test-suite of sagemaker-mlops-templates."""
