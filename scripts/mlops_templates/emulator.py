"""The embedded local AWS emulator: a moto server on 127.0.0.1, for the demo and the tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

import boto3


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class MotoServer:
    """A running ``moto_server`` process."""

    process: subprocess.Popen[bytes]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, service: str, region: str = "eu-west-1") -> Any:
        """A boto3 client of ``service`` that talks to this server with fake credentials."""
        return boto3.client(  # type: ignore[call-overload]
            service, endpoint_url=self.url, region_name=region, aws_access_key_id="x", aws_secret_access_key="x"
        )

    def reset(self) -> None:
        """Forget every resource (moto's reset API)."""
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start(timeout: float = 30.0, load_managed_policies: bool = True) -> MotoServer:
    """Start a moto server on a free loopback port and wait until it answers. With ``load_managed_policies``, its
    IAM holds the AWS managed policies (moto loads them again after each reset: about a second of CPU)."""
    port = free_port()
    env = {**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true" if load_managed_policies else "false"}
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    server = MotoServer(process, port)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto server exited with code {process.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{server.url}/moto-api/", timeout=2):
                return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"moto server on port {port} did not answer within {timeout:.0f}s")
