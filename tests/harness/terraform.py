"""Terraform working copies for tests (the package's runner, plus what only tests need)."""

from __future__ import annotations

from mlops_templates.tfrun import (
    ACCOUNT_ID,
    REGION,
    WorkingCopy,
    applied,
    describe,
    init,
    prepare,
    terraform_binary,
)

__all__ = [
    "ACCOUNT_ID",
    "REGION",
    "WorkingCopy",
    "applied",
    "describe",
    "init",
    "prepare",
    "terraform_binary",
]
