"""The contract between the deploy build and the endpoint Terraform: what build.py writes, endpoint/ plans."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import hcl2
import pytest
import yaml

from mlops_templates.toolchain import ProviderSource
from tests.harness import moto
from tests.harness.inventory import planned_resources
from tests.harness.terraform import prepare
from tests.seed_code.conftest import MODEL_DEPLOY, load

build = load(MODEL_DEPLOY / "build.py")
ENDPOINT = MODEL_DEPLOY / "endpoint"
PACKAGE = "arn:aws:sagemaker:eu-west-1:123456789012:model-package/demo-p-abcdef123456-models/7"
SETTINGS = build.Settings(
    project_name="demo",
    project_id="p-abcdef123456",
    model_package_group_name="demo-p-abcdef123456-models",
    artifact_bucket="sagemaker-project-p-abcdef123456-123456789012",
    kms_key_arn="arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555",
    execution_role_arn="arn:aws:iam::123456789012:role/mlops-p-abcdef123456-sagemaker",
    stages=[
        build.Stage(
            name="staging", autoscaling={"min_capacity": 1, "max_capacity": 3, "target_invocations_per_instance": 50}
        ),
        build.Stage(name="qa", serverless={"memory_size_in_mb": 2048, "max_concurrency": 5}),
    ],
)


@pytest.fixture(scope="module")
def var_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("stage-config")
    decision = build.Decision(model_package_arn=PACKAGE, model_package_version=7, stages=["staging", "qa"])
    build.write(SETTINGS, decision, out)
    return {stage.name: out / f"{stage.name}.tfvars.json" for stage in SETTINGS.stages}


@pytest.mark.parametrize("stage", ["staging", "qa"])
def test_endpoint_config_plans_what_build_wrote(
    stage: str, var_files: dict[str, Path], provider_source: ProviderSource, tmp_path: Path
) -> None:
    wc = prepare(MODEL_DEPLOY / "endpoint", tmp_path, provider_source, endpoint_url=moto.shared().url)
    plan: dict[str, Any] = wc.plan_json(var_files[stage])
    resources = planned_resources(plan)
    endpoint = resources["module.endpoint.aws_sagemaker_endpoint.this"]
    assert endpoint["name"] == f"demo-{stage}"
    assert endpoint["tags"]["mlops:model-package-arn"] == PACKAGE
    assert endpoint["tags"]["mlops:stage"] == stage
    model = resources["module.endpoint.aws_sagemaker_model.this"]
    assert model["primary_container"][0]["model_package_name"] == PACKAGE
    variant = resources["module.endpoint.aws_sagemaker_endpoint_configuration.this"]["production_variants"][0]
    if stage == "qa":
        assert variant["serverless_config"][0] == {**variant["serverless_config"][0], "memory_size_in_mb": 2048}
        assert "module.endpoint.aws_appautoscaling_target.this[0]" not in resources
    else:
        assert variant["instance_type"] == "ml.m5.large"
        capture = resources["module.endpoint.aws_sagemaker_endpoint_configuration.this"]["data_capture_config"][0]
        assert capture["destination_s3_uri"] == json.loads(var_files[stage].read_text())["data_capture_s3_uri"]
        assert resources["module.endpoint.aws_appautoscaling_target.this[0]"]["max_capacity"] == 3


def _hcl(path: Path) -> dict[str, Any]:
    with path.open() as handle:
        data: dict[str, Any] = hcl2.load(
            handle, serialization_options=hcl2.SerializationOptions(strip_string_quotes=True, explicit_blocks=False)
        )
    return data


def _variables() -> dict[str, dict[str, Any]]:
    return {name: body for block in _hcl(ENDPOINT / "variables.tf").get("variable", []) for name, body in block.items()}


def _minimum(constraint: str) -> tuple[int, ...]:
    match = re.search(r">=\s*(\d+)\.(\d+)(?:\.(\d+))?", constraint)
    assert match, f"no lower bound in {constraint!r}"
    return tuple(int(g or 0) for g in match.groups())


def test_required_terraform_supports_the_deploy_backend_settings() -> None:
    """deploy-buildspec.yml inits the S3 backend with use_lockfile (S3-native locking): Terraform >= 1.10."""
    spec = yaml.safe_load((MODEL_DEPLOY / "deploy-buildspec.yml").read_text())
    init = next(c for c in spec["phases"]["build"]["commands"] if " init " in c)
    assert "use_lockfile=true" in init
    required = _hcl(ENDPOINT / "versions.tf")["terraform"][0]["required_version"]
    assert _minimum(required) >= (1, 10, 0), f"use_lockfile needs Terraform >= 1.10; versions.tf says {required!r}"
    installed = tuple(int(x) for x in spec["env"]["variables"]["TERRAFORM_VERSION"].split("."))
    assert installed >= _minimum(required), f"CodeBuild installs {installed}, versions.tf needs {required!r}"


def test_every_endpoint_variable_is_used() -> None:
    used = {m for tf in ENDPOINT.glob("*.tf") for m in re.findall(r"\bvar\.([a-z0-9_]+)", tf.read_text())}
    assert sorted(set(_variables()) - used) == []


def test_build_writes_exactly_the_endpoint_variables() -> None:
    decision = build.Decision(model_package_arn=PACKAGE, model_package_version=7)
    written = set(build.stage_vars(SETTINGS, decision, SETTINGS.stages[0]))
    declared = _variables()
    assert written == set(declared), f"undeclared: {written - set(declared)}, never written: {set(declared) - written}"


def test_endpoint_root_commits_its_provider_lock_file() -> None:
    lock = (ENDPOINT / ".terraform.lock.hcl").read_text()
    match = re.search(r'provider "registry.terraform.io/hashicorp/aws" \{\s*version\s*=\s*"(\d+)\.(\d+)\.(\d+)"', lock)
    assert match, lock
    assert (5, 100, 0) <= tuple(int(g) for g in match.groups()) < (7, 0, 0)
    assert "h1:" in lock


def test_lock_file_matches_the_provider(real_provider_source: ProviderSource, tmp_path: Path) -> None:
    """Under a source that offers the locked version, init keeps the committed lock file as it is."""
    committed = (ENDPOINT / ".terraform.lock.hcl").read_text()
    wc = prepare(ENDPOINT, tmp_path, real_provider_source)
    assert wc.notes == []
    assert (wc.root / ".terraform.lock.hcl").read_text() == committed
