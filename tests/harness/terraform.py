"""Terraform working copies for tests (the package's runner, plus what only tests need)."""

from __future__ import annotations

import pytest

from mlops_templates.tfrun import (
    ACCOUNT_ID,
    REGION,
    WorkingCopy,
    applied,
    describe,
    prepare,
    terraform_binary,
)
from mlops_templates.toolchain import ProviderSource

__all__ = [
    "ACCOUNT_ID",
    "REGION",
    "WorkingCopy",
    "applied",
    "describe",
    "needs_real_provider",
    "prepare",
    "terraform_binary",
]


def needs_real_provider(source: ProviderSource) -> None:
    """Skip an apply test under a provider source that cannot talk to an AWS API.

    A ``cli-config`` source is taken as schema-only (the offline 6.x stand-in answers every call with
    fakes); ``plugin-dir`` and ``registry`` install the real provider. The skip is reported as a skip.
    """
    if source.kind == "cli-config":
        pytest.skip(f"apply needs the real provider; {source} is taken as schema-only")
