"""Tooling for the SageMaker MLOps Terraform templates: packaging, publishing, checks and the demo."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sagemaker-mlops-templates")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
