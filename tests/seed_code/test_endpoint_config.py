"""The contract between the deploy build and the endpoint Terraform: what build.py writes, endpoint/ plans."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mlops_templates.toolchain import ProviderSource
from tests.harness import moto
from tests.harness.inventory import planned_resources
from tests.harness.terraform import prepare
from tests.seed_code.conftest import MODEL_DEPLOY, load

build = load(MODEL_DEPLOY / "build.py")
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
