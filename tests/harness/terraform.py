"""Terraform working copies for tests: the package's runner, plus what only tests need (apply and destroy)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

from mlops_templates.tfrun import (
    REGION,
    WorkingCopy,
    init,
    prepare,
    terraform_binary,
)

__all__ = [
    "REGION",
    "WorkingCopy",
    "applied",
    "init",
    "prepare",
    "terraform_binary",
]


@contextlib.contextmanager
def applied(wc: WorkingCopy, variables: Mapping[str, str] | None = None) -> Iterator[dict[str, Any]]:
    """``terraform apply`` the copy, yield its outputs, and ``terraform destroy`` it afterwards."""
    var_args = [f"-var={k}={v}" for k, v in (variables or {}).items()]
    wc.run("apply", "-auto-approve", "-no-color", "-input=false", *var_args, timeout=300)
    try:
        outputs = json.loads(wc.run("output", "-json").stdout)
        yield {name: value["value"] for name, value in outputs.items()}
    finally:
        wc.run("destroy", "-auto-approve", "-no-color", "-input=false", *var_args, timeout=300)
