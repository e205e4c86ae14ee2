"""The deploy build (build.py) against moto's model registry, and the endpoint check with a stubbed runtime."""

from __future__ import annotations

import importlib
import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import numpy as np
import pytest
from botocore.exceptions import ClientError
from botocore.response import StreamingBody
from botocore.stub import Stubber

from tests.seed_code.conftest import MODEL_BUILD, MODEL_DEPLOY, load

if TYPE_CHECKING:  # imported where used: XGBoost (with scikit-learn and SciPy) takes seconds to import, in every
    import xgboost  # xdist worker that collects this module (and test_recorded_calls, which imports it)

build = load(MODEL_DEPLOY / "build.py")
endpoint_check = load(MODEL_DEPLOY / "endpoint_check.py")

REGION = "eu-west-1"
GROUP = "demo-p-abcdef123456-models"
STAGES = [
    {
        "name": "staging",
        "instance_type": "ml.m5.large",
        "instance_count": 1,
        "serverless": None,
        "autoscaling": None,
        "requires_approval": True,
    },
    {"name": "qa", "serverless": {"memory_size_in_mb": 2048, "max_concurrency": 5}, "requires_approval": False},
    {
        "name": "prod",
        "instance_type": "ml.m5.xlarge",
        "instance_count": 2,
        "autoscaling": {"min_capacity": 2, "max_capacity": 4, "target_invocations_per_instance": 100},
    },
]
ENV = {
    "SAGEMAKER_PROJECT_NAME": "demo",
    "SAGEMAKER_PROJECT_ID": "p-abcdef123456",
    "MODEL_PACKAGE_GROUP_NAME": GROUP,
    "ARTIFACT_BUCKET": "sagemaker-project-p-abcdef123456-123456789012",
    "KMS_KEY_ARN": "arn:aws:kms:eu-west-1:123456789012:key/k",
    "SAGEMAKER_EXECUTION_ROLE_ARN": "arn:aws:iam::123456789012:role/mlops-p-abcdef123456-sagemaker",
    "DEPLOY_STAGES_JSON": json.dumps(STAGES),
}


@pytest.fixture
def sagemaker(mocked_aws: None) -> Iterator[Any]:
    client = boto3.client("sagemaker", region_name=REGION)
    client.create_model_package_group(ModelPackageGroupName=GROUP)
    yield client


def register(client: Any, status: str) -> str:
    """Register a package (moto orders by CreationTime, so keep them apart) and set its status."""
    arn: str = client.create_model_package(
        ModelPackageGroupName=GROUP,
        InferenceSpecification={
            "Containers": [
                {
                    "Image": "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1",
                    "ModelDataUrl": "s3://b/model.tar.gz",
                }
            ],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        ModelApprovalStatus="PendingManualApproval",
    )["ModelPackageArn"]
    if status != "PendingManualApproval":
        client.update_model_package(ModelPackageArn=arn, ModelApprovalStatus=status)
    time.sleep(1.05)
    return arn


def deploy_endpoint(client: Any, package_arn: str, name: str = "demo-staging") -> None:
    """What the endpoint Terraform leaves behind: an endpoint tagged with the package it serves."""
    client.create_model(
        ModelName=f"{name}-m",
        ExecutionRoleArn=ENV["SAGEMAKER_EXECUTION_ROLE_ARN"],
        PrimaryContainer={"ModelPackageName": package_arn},
    )
    client.create_endpoint_config(
        EndpointConfigName=f"{name}-c",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": f"{name}-m",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
            }
        ],
    )
    client.create_endpoint(
        EndpointName=name,
        EndpointConfigName=f"{name}-c",
        Tags=[{"Key": "mlops:model-package-arn", "Value": package_arn}],
    )


def run_build(client: Any, out: Path) -> tuple[int, dict[str, Any]]:
    code = build.main(["--output-dir", str(out)], env=ENV, sagemaker_client=client)
    summary = json.loads((out / "deployment.json").read_text()) if (out / "deployment.json").exists() else {}
    return code, summary


def test_one_approved_package_is_deployed_to_every_stage(sagemaker: Any, tmp_path: Path) -> None:
    register(sagemaker, "PendingManualApproval")
    approved = register(sagemaker, "Approved")
    register(sagemaker, "PendingManualApproval")  # a newer, not yet approved one is not deployed
    code, summary = run_build(sagemaker, tmp_path)
    assert code == 0
    assert summary["model_package_arn"] == approved and summary["rollback"] is False
    assert summary["stages"] == ["staging", "qa", "prod"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "deployment.json",
        "prod.tfvars.json",
        "qa.tfvars.json",
        "staging.tfvars.json",
    ]


def test_stage_variables(sagemaker: Any, tmp_path: Path) -> None:
    approved = register(sagemaker, "Approved")
    run_build(sagemaker, tmp_path)
    staging = json.loads((tmp_path / "staging.tfvars.json").read_text())
    qa = json.loads((tmp_path / "qa.tfvars.json").read_text())
    prod = json.loads((tmp_path / "prod.tfvars.json").read_text())
    assert staging == {
        "endpoint_name": "demo-staging",
        "model_package_arn": approved,
        "execution_role_arn": ENV["SAGEMAKER_EXECUTION_ROLE_ARN"],
        "kms_key_arn": ENV["KMS_KEY_ARN"],
        "data_capture_s3_uri": f"s3://{ENV['ARTIFACT_BUCKET']}/data-capture/staging",
        "instance_type": "ml.m5.large",
        "instance_count": 1,
        "serverless": None,
        "autoscaling": None,
        "tags": {"sagemaker:project-name": "demo", "sagemaker:project-id": "p-abcdef123456", "mlops:stage": "staging"},
    }
    assert qa["serverless"] == {"memory_size_in_mb": 2048, "max_concurrency": 5} and qa["data_capture_s3_uri"] is None
    assert prod["instance_count"] == 2 and prod["autoscaling"]["max_capacity"] == 4


def test_a_newer_approval_wins(sagemaker: Any, tmp_path: Path) -> None:
    register(sagemaker, "Approved")
    newer = register(sagemaker, "Approved")
    code, summary = run_build(sagemaker, tmp_path)
    assert code == 0 and summary["model_package_arn"] == newer and summary["model_package_version"] == 2


def test_rejecting_the_deployed_package_rolls_back(sagemaker: Any, tmp_path: Path) -> None:
    previous = register(sagemaker, "Approved")
    deployed = register(sagemaker, "Approved")
    deploy_endpoint(sagemaker, deployed)
    sagemaker.update_model_package(ModelPackageArn=deployed, ModelApprovalStatus="Rejected")
    code, summary = run_build(sagemaker, tmp_path)
    assert code == 0
    assert summary == {
        "model_package_arn": previous,
        "model_package_version": 1,
        "rollback": True,
        "rolled_back_from": deployed,
        "stages": ["staging", "qa", "prod"],
    }


def test_rejecting_a_package_that_was_never_deployed_is_no_rollback(sagemaker: Any, tmp_path: Path) -> None:
    deployed = register(sagemaker, "Approved")
    deploy_endpoint(sagemaker, deployed)
    register(sagemaker, "Rejected")
    code, summary = run_build(sagemaker, tmp_path)
    assert code == 0 and summary["model_package_arn"] == deployed and summary["rollback"] is False


def test_nothing_approved_fails_clearly(sagemaker: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    register(sagemaker, "PendingManualApproval")
    register(sagemaker, "Rejected")
    code, _ = run_build(sagemaker, tmp_path)
    assert code == 1
    assert f"no Approved model package in group {GROUP} (v2 Rejected, v1 PendingManualApproval)" in caplog.text
    assert not (tmp_path / "deployment.json").exists()


def test_missing_settings_fail_clearly(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    env = {k: v for k, v in ENV.items() if k != "KMS_KEY_ARN"}
    assert build.main(["--output-dir", str(tmp_path)], env=env, sagemaker_client=object()) == 1
    assert "missing environment variables: KMS_KEY_ARN" in caplog.text


def _runtime_answer(stubber: Stubber, body: bytes) -> None:
    stubber.add_response(
        "invoke_endpoint",
        {"Body": StreamingBody(io.BytesIO(body), len(body)), "ContentType": "text/csv"},
        {"EndpointName": "demo-staging", "ContentType": "text/csv", "Body": endpoint_check.SAMPLE},
    )


def test_endpoint_check_accepts_a_plausible_prediction(sagemaker: Any) -> None:
    deploy_endpoint(sagemaker, register(sagemaker, "Approved"))
    runtime = boto3.client("sagemaker-runtime", region_name=REGION)
    with Stubber(runtime) as stubber:
        _runtime_answer(stubber, b"9.87")
        assert endpoint_check.check(sagemaker, runtime, "demo-staging") == pytest.approx(9.87)
        stubber.assert_no_pending_responses()


def test_endpoint_check_refuses_a_nonsense_answer(sagemaker: Any) -> None:
    deploy_endpoint(sagemaker, register(sagemaker, "Approved"))
    runtime = boto3.client("sagemaker-runtime", region_name=REGION)
    with Stubber(runtime) as stubber:
        _runtime_answer(stubber, b"<html>oops</html>")
        with pytest.raises(endpoint_check.CheckFailed, match="not a number"):
            endpoint_check.check(sagemaker, runtime, "demo-staging")


def test_endpoint_check_refuses_a_missing_endpoint(sagemaker: Any) -> None:
    runtime = boto3.client("sagemaker-runtime", region_name=REGION)
    with pytest.raises(ClientError, match="demo-staging"):
        endpoint_check.check(sagemaker, runtime, "demo-staging")


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[xgboost.Booster, np.ndarray]:
    """The model-build code trained for real on the bundled sample: the model and its training split."""
    local_run = importlib.import_module("pipelines.abalone.local_run")
    evaluate = importlib.import_module("pipelines.abalone.evaluate")
    out = tmp_path_factory.mktemp("trained")
    local_run.run(MODEL_BUILD / "data" / "abalone-sample.csv", out)
    return evaluate.load_model(out / "model"), np.loadtxt(out / "train" / "train.csv", delimiter=",", ndmin=2)


def _documented_payloads() -> list[str]:
    """The default payload and every payload the script's usage text shows."""
    return [endpoint_check.SAMPLE, *re.findall(r'--payload "([^"]+)"', endpoint_check.__doc__ or "")]


@pytest.mark.parametrize("payload", _documented_payloads())
def test_endpoint_check_payload_is_what_the_trained_model_scores(
    payload: str, trained: tuple[xgboost.Booster, np.ndarray]
) -> None:
    booster, train = trained
    try:
        row = np.array([[float(value) for value in payload.split(",")]])
    except ValueError as err:
        pytest.fail(f"payload {payload!r} is not a numeric feature row the model can score: {err}")
    assert row.shape[1] == booster.num_features() == train.shape[1] - 1  # the training split: label, features
    import xgboost

    prediction = float(booster.predict(xgboost.DMatrix(row))[0])
    assert train[:, 0].min() <= prediction <= train[:, 0].max(), f"{prediction} rings is outside the training labels"
