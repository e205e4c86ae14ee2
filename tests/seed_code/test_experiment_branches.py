"""Experimentation branches end to end on moto: the branch function names a branch's SageMaker pipeline (the
experiments CodePipeline's Name stage), the seed code's model build (`python -m pipelines.run_pipeline`, what the
experiments CodeBuild runs) creates, updates and starts it as the experiments role, and the function deletes it when
the branch goes (CodeCommit's deletion event, or the reconcile for a branch that vanished without one), leaving the
production pipeline alone."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any, Final

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from mlops_templates.lambdas import branch_pipelines
from tests.lambdas.test_branch_pipelines import branch_job, codecommit_event

REGION: Final = "eu-west-1"
ACCOUNT: Final = "123456789012"
PROJECT, PROJECT_ID = "churn", "p-abcdef123456"
BUCKET = f"sagemaker-project-{PROJECT_ID}-{ACCOUNT}"
REPOSITORY = f"sagemaker-{PROJECT}-{PROJECT_ID}-modelbuild"
PRODUCTION = f"{PROJECT}-{PROJECT_ID}-pipeline"
ROLES = {
    "production": f"arn:aws:iam::{ACCOUNT}:role/mlops-{PROJECT_ID}-sagemaker",
    "experiments": f"arn:aws:iam::{ACCOUNT}:role/mlops-{PROJECT_ID}-exp-sagemaker",
}
GROUPS = {"production": f"{PROJECT}-{PROJECT_ID}-models", "experiments": f"{PROJECT}-{PROJECT_ID}-experiments"}
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/00000000-0000-4000-8000-0000000000aa"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": REGION}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        boto3.client("s3", region_name=REGION).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield boto3.client("sagemaker", region_name=REGION)


@pytest.fixture
def config() -> branch_pipelines.Config:
    # What modules/branch-pipelines sets (tests/modules/mlops_project/experiment_branches.yaml pins it in the plan).
    return branch_pipelines.Config.from_env(
        {
            "PROJECT_NAME": PROJECT,
            "PROJECT_ID": PROJECT_ID,
            "MAIN_BRANCH": "main",
            "RESERVED_PIPELINE_NAMES": f'["{PRODUCTION}"]',
            "EXPERIMENT_ROLE_ARN": ROLES["experiments"],
            "CODEPIPELINE_NAME": f"{PROJECT}-{PROJECT_ID}-experiments",
            "REPOSITORY": f'{{"kind": "codecommit", "name": "{REPOSITORY}"}}',
        }
    )


def name_stage(config: branch_pipelines.Config, branch: str) -> str:
    """The experiments CodePipeline's Name stage: the function's answer to CodePipeline's job."""
    codepipeline = boto3.client("codepipeline", region_name=REGION)
    with Stubber(codepipeline) as stub:
        stub.add_response("put_job_success_result", {}, None)
        answer = branch_pipelines.on_job(branch_job(branch), config, codepipeline)
        stub.assert_no_pending_responses()
    assert answer["status"] == "succeeded", answer
    name: str = answer["output_variables"]["SageMakerPipelineName"]
    return name


def model_build(name: str, kind: str) -> int:
    """The model build's buildspec command, as CodeBuild runs it with the project's environment."""
    run_pipeline = importlib.import_module("pipelines.run_pipeline")
    code: int = run_pipeline.main(
        [
            *("--region", REGION, "--role-arn", ROLES[kind], "--pipeline-name", name),
            *("--model-package-group-name", GROUPS[kind], "--default-bucket", BUCKET, "--kms-key-arn", KEY),
            *("--project-name", PROJECT, "--project-id", PROJECT_ID, "--no-wait"),
        ]
    )
    return code


def executions(sagemaker: Any, name: str) -> int:
    return len(sagemaker.list_pipeline_executions(PipelineName=name)["PipelineExecutionSummaries"])


def pipelines(sagemaker: Any) -> set[str]:
    return {p["PipelineName"] for p in sagemaker.list_pipelines()["PipelineSummaries"]}


def test_a_branch_trains_as_its_own_pipeline_and_goes_with_the_branch(
    aws: Any, config: branch_pipelines.Config
) -> None:
    sagemaker = aws
    assert model_build(PRODUCTION, "production") == 0

    deep = name_stage(config, "feature/Deep_Net")
    plain = name_stage(config, "try-lightgbm")
    assert plain == f"{PROJECT}-try-lightgbm"
    assert deep.startswith(f"{PROJECT}-feature-deep-net-") and deep != PRODUCTION

    for name in (deep, plain, deep):  # the second push to feature/Deep_Net updates its pipeline
        assert model_build(name, "experiments") == 0
    assert pipelines(sagemaker) == {PRODUCTION, deep, plain}
    assert (executions(sagemaker, deep), executions(sagemaker, plain)) == (2, 1)
    described = sagemaker.describe_pipeline(PipelineName=deep)
    assert described["RoleArn"] == ROLES["experiments"]
    tags = {t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=described["PipelineArn"])["Tags"]}
    assert tags["sagemaker:project-id"] == PROJECT_ID
    assert f'"ModelPackageGroupName": "{GROUPS["experiments"]}"' in described["PipelineDefinition"]
    assert GROUPS["production"] not in described["PipelineDefinition"]

    # feature/Deep_Net deleted in CodeCommit: its deletion event removes its pipeline.
    answer = branch_pipelines.on_reference_event(
        codecommit_event("referenceDeleted", "feature/Deep_Net", commit=None, old="0" * 40, repository=REPOSITORY),
        config,
        boto3.client("codepipeline", region_name=REGION),
        sagemaker,
    )
    assert answer["status"] == "deleted" and answer["sagemaker_pipeline_name"] == deep
    assert pipelines(sagemaker) == {PRODUCTION, plain}

    # try-lightgbm vanished without an event (a missed delivery): the reconcile removes it, never production.
    answer = branch_pipelines.reconcile(config, sagemaker, lambda: {"main"})
    assert answer["deleted"] == [plain] and PRODUCTION in answer["left"]
    assert pipelines(sagemaker) == {PRODUCTION}
    assert executions(sagemaker, PRODUCTION) == 1
