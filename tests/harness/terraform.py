"""Terraform working copies for tests: the package's runner, plus what only tests need (a provider process shared
by every command, apply and destroy)."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import re
import subprocess
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from mlops_templates import tfrun
from mlops_templates.tfrun import REGION, WorkingCopy, terraform_binary
from mlops_templates.toolchain import PROVIDER_ADDRESS, ProviderSource, os_arch

__all__ = [
    "REGION",
    "WorkingCopy",
    "applied",
    "init",
    "prepare",
    "terraform_binary",
]


class ProviderServer:
    """A provider process started once and shared by every terraform command of this process.

    Terraform normally starts the provider for each command (validate, plan, show, test), and the real
    hashicorp/aws binary takes seconds of CPU to start. Started with ``-debug``, the same binary prints a
    ``TF_REATTACH_PROVIDERS`` value; terraform commands given it connect to the running process instead.
    Used for ``plugin-dir`` sources (where the binary is known) when ``MLOPS_TF_REATTACH`` is ``1`` (conftest.py).
    """

    _servers: ClassVar[dict[Path, ProviderServer]] = {}

    def __init__(self, binary: Path) -> None:
        # A clean environment: the provider is configured by each terraform command, and settings such as
        # AWS_CA_BUNDLE read at every configure would pile up in the long-lived process.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_"))}
        self.process = subprocess.Popen(
            [str(binary), "-debug"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        self.reattach = ""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            match = re.search(r"TF_REATTACH_PROVIDERS='(.*)'", line)
            if match:
                self.reattach = match.group(1)
                break
        if not self.reattach:
            self.stop()
            raise RuntimeError(f"{binary} -debug did not print TF_REATTACH_PROVIDERS")
        # Keep draining the provider's output so it never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()
        atexit.register(self.stop)

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for _ in self.process.stdout:
            pass

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    @classmethod
    def for_source(cls, source: ProviderSource) -> ProviderServer | None:
        """The shared server of a plugin-dir source, or None when reattaching does not apply."""
        if os.environ.get("MLOPS_TF_REATTACH") != "1" or source.kind != "plugin-dir" or source.path is None:
            return None
        versions = source.versions()
        if not versions:
            return None
        folder = source.path / PROVIDER_ADDRESS / versions[-1] / os_arch()
        binary = next(iter(sorted(folder.glob("terraform-provider-aws*"))), None)
        if binary is None:
            return None
        server = cls._servers.get(binary)
        if server is None or server.process.poll() is not None:
            server = cls._servers[binary] = cls(binary)
        return server


def reattach_env(source: ProviderSource) -> dict[str, str]:
    """``TF_REATTACH_PROVIDERS`` of the source's shared provider process, when reattaching applies."""
    server = ProviderServer.for_source(source)
    return {"TF_REATTACH_PROVIDERS": server.reattach} if server is not None else {}


def prepare(
    target: Path,
    scratch: Path,
    source: ProviderSource,
    endpoint_url: str | None = None,
    inject_provider: bool = True,
    extra_files: Mapping[str, str] | None = None,
) -> WorkingCopy:
    """:func:`mlops_templates.tfrun.prepare`, with the shared provider process."""
    return tfrun.prepare(target, scratch, source, endpoint_url, inject_provider, extra_files, reattach_env(source))


def init(root: Path, source: ProviderSource) -> WorkingCopy:
    """:func:`mlops_templates.tfrun.init`, with the shared provider process."""
    return tfrun.init(root, source, reattach_env(source))


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
