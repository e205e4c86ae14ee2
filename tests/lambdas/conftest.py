"""Shared setup of the Lambda handlers' tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from moto import mock_aws

from mlops_templates.lambdas import githttp


@contextlib.contextmanager
def offline_aws(region: str) -> Iterator[None]:
    """In-process moto with fixed credentials and region, and nothing of the caller's AWS or git-host settings."""
    with pytest.MonkeyPatch.context() as patch:
        for key in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN", githttp.ENDPOINT_ENV):
            patch.delenv(key, raising=False)
        for key, value in {
            "AWS_ACCESS_KEY_ID": "x",
            "AWS_SECRET_ACCESS_KEY": "x",
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
        }.items():
            patch.setenv(key, value)
        with mock_aws():
            yield
