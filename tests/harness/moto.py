"""The test-suite's moto: the package's embedded emulator (one server per test process), and moto in-process."""

from __future__ import annotations

import atexit
import contextlib
from collections.abc import Iterator

import pytest
from moto import mock_aws

from mlops_templates.emulator import MotoServer, start
from mlops_templates.lambdas import githttp

__all__ = ["MotoServer", "offline_aws", "shared", "start"]


@contextlib.contextmanager
def offline_aws(region: str = "eu-west-1") -> Iterator[None]:
    """moto in-process with fake credentials in ``region``; the caller's profile, endpoint, session token and git
    host (GIT_HTTP_ENDPOINT_URL) stay out."""
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


_SHARED: MotoServer | None = None


def shared() -> MotoServer:
    """One moto server per test process, started on first use and stopped at exit.

    Its IAM holds no AWS managed policies: moto loads them again at the first request after every reset (a second
    or more of CPU for each test that resets it), and no test attaches one. A test that needs them starts its own
    server with :func:`start`."""
    global _SHARED
    if _SHARED is None or _SHARED.process.poll() is not None:
        _SHARED = start(load_managed_policies=False)
        atexit.register(_SHARED.stop)
    return _SHARED
