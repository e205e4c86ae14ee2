"""The seed code in a venv holding only its folder's requirements.txt, as CodeBuild installs it.

The venvs are cached under .cache/seed-venvs (``make seed-venvs``, part of ``make setup``); a missing one is
built here (about a minute). AWS calls go to the test process's moto server; any other network access fails
fast through a dead local proxy.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from mlops_templates.emulator import MotoServer
from tests.seed_code import venvs
from tests.seed_code.conftest import MODEL_BUILD, MODEL_DEPLOY

pytestmark = pytest.mark.slow

REGION = "eu-west-1"
BUCKET = "sagemaker-project-p-abcdef123456-123456789012"
ROLE = "arn:aws:iam::123456789012:role/mlops-p-abcdef123456-sagemaker"


@pytest.fixture(scope="module")
def build_python() -> Path:
    return venvs.ensure("model-build")


@pytest.fixture(scope="module")
def deploy_python() -> Path:
    return venvs.ensure("model-deploy")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A CodeBuild-like environment: fake credentials, no telemetry, only 127.0.0.1 reachable."""
    config = tmp_path / "sagemaker-config.yaml"
    config.write_text("SchemaVersion: '1.0'\nSageMaker:\n  PythonSDK:\n    Modules:\n      TelemetryOptOut: true\n")
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONDONTWRITEBYTECODE": "1",
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
        "SAGEMAKER_USER_CONFIG_OVERRIDE": str(config),
        "SAGEMAKER_SUPPRESS_V2_WARNING": "1",  # as codebuild-buildspec.yml sets it
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost",
    }


def run(python: Path, args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(python), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def output(result: subprocess.CompletedProcess[str]) -> str:
    """The end of both streams (the SDK prints tracebacks to stdout)."""
    return f"stdout: {result.stdout[-1500:]}\nstderr: {result.stderr[-1500:]}"


def test_the_venvs_hold_only_the_requirements(build_python: Path, deploy_python: Path, env: dict[str, str]) -> None:
    probe = "import importlib.util as u; print([m for m in ('xgboost', 'sklearn', 'moto') if u.find_spec(m)])"
    for python in (build_python, deploy_python):
        result = run(python, ["-c", probe], Path.cwd(), env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("module", ["pipelines.run_pipeline", "pipelines.get_pipeline_definition"])
def test_model_build_entry_points_start(module: str, build_python: Path, env: dict[str, str]) -> None:
    result = run(build_python, ["-m", module, "--help"], MODEL_BUILD, env)
    assert result.returncode == 0, output(result)
    assert "--model-package-group-name" in result.stdout


def test_model_build_generates_the_pipeline_definition(
    build_python: Path, env: dict[str, str], fresh_moto: MotoServer
) -> None:
    fresh_moto.client("s3", REGION).create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    result = run(
        build_python,
        [
            "-m",
            "pipelines.get_pipeline_definition",
            *("--region", REGION, "--role-arn", ROLE, "--pipeline-name", "demo-p-abcdef123456-pipeline"),
            *("--model-package-group-name", "demo-p-abcdef123456-models", "--default-bucket", BUCKET),
        ],
        MODEL_BUILD,
        {**env, "AWS_ENDPOINT_URL": fresh_moto.url},
    )
    assert result.returncode == 0, output(result)
    definition = json.loads(result.stdout)
    assert [s["Name"] for s in definition["Steps"]] == [
        "PreprocessAbaloneData",
        "TrainAbaloneModel",
        "EvaluateAbaloneModel",
        "CheckMseAbaloneEvaluation",
    ]


@pytest.mark.parametrize("script", ["build.py", "endpoint_check.py"])
def test_model_deploy_scripts_start(script: str, deploy_python: Path, env: dict[str, str]) -> None:
    result = run(deploy_python, [script, "--help"], MODEL_DEPLOY, env)
    assert result.returncode == 0, output(result)
    assert "usage:" in result.stdout
