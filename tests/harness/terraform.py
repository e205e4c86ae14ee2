"""Terraform working copies for tests: the package's runner, plus what only tests need (a provider process shared
by every command, apply and destroy)."""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import re
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from mlops_templates import tfrun
from mlops_templates.tfrun import REGION, WorkingCopy, emulator_env, terraform_binary
from mlops_templates.toolchain import (
    PROVIDER_ADDRESS,
    ProviderSource,
    os_arch,
    provider_versions_in_mirror,
)
from tests.harness.paths import REPO
from tests.harness.provider_proxy import SchemaCachingProxy, types_named_in

__all__ = [
    "REGION",
    "WorkingCopy",
    "applied",
    "init",
    "prepare",
    "terraform_binary",
]


# Terraform's plugin handshake (hashicorp/go-plugin): a provider started with this cookie serves gRPC and prints
# `core-version|protocol-version|network|address|grpc[|cert]` on its first line of output.
MAGIC_COOKIE = ("TF_PLUGIN_MAGIC_COOKIE", "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2")
HANDSHAKE = re.compile(r"^1\|(\d+)\|(unix|tcp)\|([^|\s]+)\|grpc")


class ProviderServer:
    """A provider process started once and shared by every terraform command of this process.

    Terraform normally starts the provider for each command (validate, plan, show) and for each run block of
    ``terraform test``: seconds of CPU for the real hashicorp/aws binary, and a Python start for the schema
    stand-in. Started here the way Terraform starts a plugin (go-plugin handshake, no client certificate), the
    process prints its address; ``TF_REATTACH_PROVIDERS`` (with ``Test: true``, so that Terraform neither
    installs nor stops it) makes every terraform command connect to it instead, through a proxy that answers the
    schema calls from memory (:mod:`tests.harness.provider_proxy`). Used for the local sources (plugin-dir and
    cli-config mirrors, where the binary is known) when ``MLOPS_TF_REATTACH`` is ``1`` (conftest.py).
    """

    _servers: ClassVar[dict[tuple[Path, str | None], ProviderServer]] = {}

    def __init__(self, binary: Path, endpoint_url: str | None = None) -> None:
        # A clean environment: the provider is configured by each terraform command, and settings such as
        # AWS_CA_BUNDLE read at every configure would pile up in the long-lived process. The emulator's endpoint
        # is the one setting the provider reads from its own environment (tfrun.emulator_env): one process per
        # emulator.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_", "PLUGIN_"))}
        env.update({MAGIC_COOKIE[0]: MAGIC_COOKIE[1], "PLUGIN_PROTOCOL_VERSIONS": "5,6"})
        env.update(emulator_env(endpoint_url))
        self.process = subprocess.Popen(
            [str(binary)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        match = HANDSHAKE.match(line)
        if not match:
            self.stop()
            raise RuntimeError(f"{binary} did not answer the plugin handshake (first line: {line.strip()!r})")
        protocol, network, address = match.groups()
        self.upstream = f"unix:{address}" if network == "unix" else address
        # Every command reaches the provider through the schema-caching proxy (tests/harness/provider_proxy.py).
        types = None if os.environ.get("MLOPS_TF_FULL_SCHEMA") == "1" else types_in_repository()
        self.proxy = SchemaCachingProxy(self.upstream, types)
        self.protocol = int(protocol)
        self.reattach = reattach_config(self.protocol, self.proxy.address, self.process.pid)
        # Keep draining the provider's output so it never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()
        atexit.register(self.stop)

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for _ in self.process.stdout:
            pass

    def stop(self) -> None:
        if hasattr(self, "proxy"):
            self.proxy.stop()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    @classmethod
    def for_source(cls, source: ProviderSource, endpoint_url: str | None = None) -> ProviderServer | None:
        """The shared server of a local source's newest provider binary (for this emulator endpoint), or None
        when reattaching does not apply."""
        if os.environ.get("MLOPS_TF_REATTACH") != "1":
            return None
        binary = provider_binary(source)
        if binary is None:
            return None
        server = cls._servers.get((binary, endpoint_url))
        if server is None or server.process.poll() is not None:
            server = cls._servers[binary, endpoint_url] = cls(binary, endpoint_url)
        return server


@contextlib.contextmanager
def shared_providers_for_emulator() -> Iterator[Callable[[ProviderSource, str], dict[str, str]]]:
    """A ``terraform_env`` for code that starts its own emulator (the demo): its terraform commands reach a shared
    provider process of the emulator's endpoint, through the schema-caching proxy (:func:`reattach_env`); the
    processes started for it stop on leaving the block (their emulator is gone by then)."""
    endpoints: set[str] = set()

    def terraform_env(source: ProviderSource, endpoint_url: str) -> dict[str, str]:
        endpoints.add(endpoint_url)
        return reattach_env(source, endpoint_url)

    try:
        yield terraform_env
    finally:
        for key, server in list(ProviderServer._servers.items()):
            if key[1] in endpoints:
                server.stop()
                del ProviderServer._servers[key]


def reattach_config(protocol: int, socket: str, pid: int) -> str:
    """``TF_REATTACH_PROVIDERS`` naming hashicorp/aws served on the unix ``socket`` (``Test``: terraform neither
    installs nor stops it)."""
    addr = {"Network": "unix", "String": socket}
    config = {"Protocol": "grpc", "ProtocolVersion": protocol, "Pid": pid, "Test": True, "Addr": addr}
    return json.dumps({PROVIDER_ADDRESS: config})


@functools.cache
def types_in_repository() -> frozenset[str]:
    """The provider types the repository's configurations and tests can use (see provider_proxy)."""
    return types_named_in([REPO / folder for folder in ("modules", "products", "catalog", "seed_code", "tests")])


def provider_binary(source: ProviderSource) -> Path | None:
    """The newest hashicorp/aws binary a local source offers for this platform (None for the registry)."""
    found = [
        (version, binary)
        for mirror in source.mirrors()
        for version in provider_versions_in_mirror(mirror)
        for binary in sorted((mirror / PROVIDER_ADDRESS / version / os_arch()).glob("terraform-provider-aws*"))[:1]
    ]
    return max(found, key=lambda pair: [int(n) for n in re.findall(r"\d+", pair[0])])[1] if found else None


def reattach_env(source: ProviderSource, endpoint_url: str | None = None) -> dict[str, str]:
    """``TF_REATTACH_PROVIDERS`` of the source's shared provider process, when reattaching applies."""
    server = ProviderServer.for_source(source, endpoint_url)
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
    reattach = reattach_env(source, endpoint_url)
    return tfrun.prepare(target, scratch, source, endpoint_url, inject_provider, extra_files, reattach)


def init(root: Path, source: ProviderSource, endpoint_url: str | None = None) -> WorkingCopy:
    """:func:`mlops_templates.tfrun.init`, with the shared provider process (of the emulator at ``endpoint_url``,
    which the provider then reaches for every service)."""
    return tfrun.init(root, source, {**emulator_env(endpoint_url), **reattach_env(source, endpoint_url)})


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
