"""The SageMaker Pipeline definition, generated offline (moto S3, dummy credentials), checked step by step."""

from __future__ import annotations

import importlib
import json
import warnings
from collections.abc import Iterator
from typing import Any, Final

import boto3
import pytest
from moto import mock_aws

REGION: Final = "eu-west-1"
BUCKET = "sagemaker-project-p-abcdef123456-123456789012"
ROLE = "arn:aws:iam::123456789012:role/mlops-p-abcdef123456-sagemaker"
GROUP = "demo-p-abcdef123456-models"
PIPELINE = "demo-p-abcdef123456-pipeline"
EXECUTION_ID = {"Get": "Execution.PipelineExecutionId"}


def _definition() -> dict[str, Any]:
    pipeline = importlib.import_module("pipelines.abalone.pipeline")
    result: dict[str, Any] = json.loads(
        pipeline.get_pipeline(
            region=REGION,
            role_arn=ROLE,
            pipeline_name=PIPELINE,
            model_package_group_name=GROUP,
            default_bucket=BUCKET,
            kms_key_arn="arn:aws:kms:eu-west-1:123456789012:key/k",
            pipeline_session=pipeline.session(REGION, BUCKET, boto3.Session(region_name=REGION)),
        ).definition()
    )
    return result


@pytest.fixture(scope="module")
def definitions(monkeypatch_module: pytest.MonkeyPatch) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    with mock_aws():
        boto3.client("s3", region_name=REGION).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield _definition(), _definition()


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {
            "AWS_ACCESS_KEY_ID": "x",
            "AWS_SECRET_ACCESS_KEY": "x",
            "AWS_DEFAULT_REGION": REGION,
        }.items():
            patch.setenv(key, value)
        yield patch


def _steps(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    steps: dict[str, dict[str, Any]] = {}
    for step in definition["Steps"]:
        steps[step["Name"]] = step
        if step["Type"] == "Condition":
            for inner in step["Arguments"]["IfSteps"] + step["Arguments"]["ElseSteps"]:
                steps[inner["Name"]] = inner
    return steps


def test_steps_and_types(definitions: tuple[dict[str, Any], dict[str, Any]]) -> None:
    steps = _steps(definitions[0])
    assert {name: s["Type"] for name, s in steps.items()} == {
        "PreprocessAbaloneData": "Processing",
        "TrainAbaloneModel": "Training",
        "EvaluateAbaloneModel": "Processing",
        "CheckMseAbaloneEvaluation": "Condition",
        "RegisterAbaloneModel-RegisterModel": "RegisterModel",
        "MseAboveThreshold": "Fail",
    }


def test_parameters(definitions: tuple[dict[str, Any], dict[str, Any]]) -> None:
    parameters = {p["Name"]: p.get("DefaultValue") for p in definitions[0]["Parameters"]}
    assert parameters == {
        "ProcessingInstanceType": "ml.m5.xlarge",
        "ProcessingInstanceCount": 1,
        "TrainingInstanceType": "ml.m5.xlarge",
        "ModelApprovalStatus": "PendingManualApproval",
        "InputDataUrl": f"s3://{BUCKET}/data/abalone/abalone.csv",
        "MseThreshold": 6.0,
    }


def test_wiring(definitions: tuple[dict[str, Any], dict[str, Any]]) -> None:
    steps = _steps(definitions[0])
    train = steps["TrainAbaloneModel"]["Arguments"]
    channels = {c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"] for c in train["InputDataConfig"]}
    assert channels["train"] == {
        "Get": "Steps.PreprocessAbaloneData.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri"
    }
    assert "xgboost" in train["AlgorithmSpecification"]["TrainingImage"]
    assert train["AlgorithmSpecification"]["TrainingImage"].split(".")[3] == REGION
    evaluate_inputs = steps["EvaluateAbaloneModel"]["Arguments"]["ProcessingInputs"]
    assert {"Get": "Steps.TrainAbaloneModel.ModelArtifacts.S3ModelArtifacts"} in [
        i["S3Input"]["S3Uri"] for i in evaluate_inputs
    ]
    condition = steps["CheckMseAbaloneEvaluation"]["Arguments"]["Conditions"][0]
    assert condition["Type"] == "LessThanOrEqualTo"
    assert condition["LeftValue"]["Std:JsonGet"]["Path"] == "regression_metrics.mse.value"
    assert condition["LeftValue"]["Std:JsonGet"]["PropertyFile"] == {
        "Get": "Steps.EvaluateAbaloneModel.PropertyFiles.AbaloneEvaluationReport"
    }
    assert condition["RightValue"] == {"Get": "Parameters.MseThreshold"}
    register = steps["RegisterAbaloneModel-RegisterModel"]["Arguments"]
    assert register["ModelPackageGroupName"] == GROUP
    assert register["ModelApprovalStatus"] == {"Get": "Parameters.ModelApprovalStatus"}
    assert register["ModelMetrics"]["ModelQuality"]["Statistics"]["ContentType"] == "application/json"


def test_jobs_are_encrypted_and_run_as_the_project_role(definitions: tuple[dict[str, Any], dict[str, Any]]) -> None:
    steps = _steps(definitions[0])
    for name in ("PreprocessAbaloneData", "EvaluateAbaloneModel"):
        args = steps[name]["Arguments"]
        assert args["RoleArn"] == ROLE
        assert args["ProcessingResources"]["ClusterConfig"]["VolumeKmsKeyId"].endswith("key/k")
    assert steps["TrainAbaloneModel"]["Arguments"]["ResourceConfig"]["VolumeKmsKeyId"].endswith("key/k")


def test_definition_is_deterministic(definitions: tuple[dict[str, Any], dict[str, Any]]) -> None:
    first, second = definitions
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def _under_this_execution(name: str) -> dict[str, Any]:
    """s3://<bucket>/<pipeline>/<execution id>/<name>, as the definition spells it."""
    return {"Std:Join": {"On": "/", "Values": [f"s3://{BUCKET}/{PIPELINE}", EXECUTION_ID, name]}}


def test_outputs_are_per_execution(definitions: tuple[dict[str, Any], dict[str, Any]]) -> None:
    steps = _steps(definitions[0])
    preprocess = steps["PreprocessAbaloneData"]["Arguments"]["ProcessingOutputConfig"]["Outputs"]
    assert {o["OutputName"]: o["S3Output"]["S3Uri"] for o in preprocess} == {
        name: _under_this_execution(name) for name in ("train", "validation", "test")
    }
    evaluation = steps["EvaluateAbaloneModel"]["Arguments"]["ProcessingOutputConfig"]["Outputs"]
    assert [o["S3Output"]["S3Uri"] for o in evaluation] == [_under_this_execution("evaluation")]
    training = steps["TrainAbaloneModel"]["Arguments"]["OutputDataConfig"]["S3OutputPath"]
    assert training == _under_this_execution("model")


def test_registered_metrics_point_at_this_executions_evaluation(
    definitions: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    register = _steps(definitions[0])["RegisterAbaloneModel-RegisterModel"]["Arguments"]
    statistics = register["ModelMetrics"]["ModelQuality"]["Statistics"]
    assert statistics["S3Uri"] == {
        "Std:Join": {
            "On": "/",
            "Values": [
                {"Get": "Steps.EvaluateAbaloneModel.ProcessingOutputConfig.Outputs['evaluation'].S3Output.S3Uri"},
                "evaluation.json",
            ],
        }
    }
    container = register["InferenceSpecification"]["Containers"][0]
    assert container["ModelDataUrl"] == {"Get": "Steps.TrainAbaloneModel.ModelArtifacts.S3ModelArtifacts"}
    assert "sagemaker-xgboost" in container["Image"]


def test_no_deprecated_sdk_api(definitions: tuple[dict[str, Any], dict[str, Any]]) -> None:
    # The definitions fixture keeps moto (and its bucket) active for the module's tests.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _definition()
    deprecations = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    assert not [m for m in deprecations if "sagemaker" in m.lower() or "RegisterModel" in m], deprecations
