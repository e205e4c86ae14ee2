"""The project-teardown Lambda handler: what a project's pipelines created is removed when the project is deleted.

SageMaker and Application Auto Scaling run on moto. The endpoints are made from what the real deploy ``build.py``
writes (run against moto's model registry), named and tagged as ``modules/sagemaker-endpoint`` names and tags them.
moto lacks ``DeleteModelPackage`` and ``StopPipelineExecution``: the first is answered by a botocore ``before-call``
hook that removes the package from moto's backend (the request is validated against the real SageMaker model
first); the pipeline-stop path is tested with botocore's ``Stubber``, and for the experiment pipelines with a
``before-call`` hook that stops an execution marked running in moto's backend (moto's executions never run).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.stub import Stubber
from moto.sagemaker.models import sagemaker_backends

from mlops_templates import demo
from mlops_templates.lambdas import project_teardown
from mlops_templates.lambdas.project_teardown import Clock, TeardownError
from mlops_templates.toolchain import ProviderSource
from tests.harness.moto import MotoServer
from tests.harness.terraform import prepare
from tests.seed_code.conftest import MODEL_DEPLOY, load

build = load(MODEL_DEPLOY / "build.py")

REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's account
PROJECT = "demo"
PROJECT_ID = "p-abcdef123456"
OTHER_ID = "p-other0000001"
GROUP = f"{PROJECT}-{PROJECT_ID}-models"
PIPELINE = f"{PROJECT}-{PROJECT_ID}-pipeline"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/mlops-{PROJECT_ID}-sagemaker"
EXPERIMENTS_GROUP = f"{PROJECT}-{PROJECT_ID}-experiments"
EXPERIMENTS_ROLE = f"arn:aws:iam::{ACCOUNT}:role/mlops-{PROJECT_ID}-experiments-sagemaker"
EXPERIMENTS = {"model_package_group_name": EXPERIMENTS_GROUP, "pipeline_role_arn": EXPERIMENTS_ROLE}
IMAGE = "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1"
STAGES: list[dict[str, Any]] = [
    {"name": "staging", "autoscaling": {"min_capacity": 1, "max_capacity": 2, "target_invocations_per_instance": 50}},
    {"name": "prod", "instance_count": 2},
]
EVENT = {
    "project_name": PROJECT,
    "project_id": PROJECT_ID,
    "model_package_group_name": GROUP,
    "sagemaker_pipeline_name": PIPELINE,
}


def event(action: str, **extra: Any) -> dict[str, Any]:
    """What aws_lambda_invocation with lifecycle_scope = "CRUD" sends (the provider adds the `tf` key)."""
    given = {**EVENT, **extra}
    return {**given, "tf": {"action": action, "prev_input": None if action == "create" else given}}


def tags(project_id: str, **extra: str) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in {"sagemaker:project-id": project_id, **extra}.items()]


def _http(status: int) -> AWSResponse:
    return AWSResponse("http://moto", status, HTTPHeaders(), None)


@dataclass
class Account:
    sagemaker: Any
    autoscaling: Any
    deleted_packages: list[str]


@pytest.fixture
def account(mocked_aws: None) -> Iterator[Account]:
    sagemaker: Any = boto3.client("sagemaker", region_name=REGION)
    autoscaling: Any = boto3.client("application-autoscaling", region_name=REGION)
    deleted: list[str] = []

    def delete_model_package(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        """DeleteModelPackage, which moto lacks: remove the package from moto's backend."""
        arn = json.loads(params["body"])["ModelPackageName"]
        backend = sagemaker_backends[ACCOUNT][REGION]
        if backend.model_packages.pop(arn, None) is None:
            error = {"Code": "ValidationException", "Message": f"Model package {arn} does not exist."}
            return _http(400), {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 400}}
        deleted.append(arn)
        return _http(200), {}

    sagemaker.meta.events.register("before-call.sagemaker.DeleteModelPackage", delete_model_package)
    yield Account(sagemaker, autoscaling, deleted)


def register(sagemaker: Any, status: str, group: str | None = None) -> str:
    """A model package as the pipeline's RegisterModel step makes it (in the production group by default)."""
    arn: str = sagemaker.create_model_package(
        ModelPackageGroupName=group or GROUP,
        InferenceSpecification={
            "Containers": [{"Image": IMAGE, "ModelDataUrl": "s3://b/model.tar.gz"}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        ModelApprovalStatus=status,
    )["ModelPackageArn"]
    return arn


def apply_endpoint(account: Account, variables: dict[str, Any]) -> None:
    """What `terraform apply` of endpoint/ (modules/sagemaker-endpoint) creates from one stage's var file."""
    sagemaker, name, package = account.sagemaker, variables["endpoint_name"], variables["model_package_arn"]
    resource_tags = [
        {"Key": k, "Value": v} for k, v in {**variables["tags"], "mlops:model-package-arn": package}.items()
    ]
    suffix = hashlib.sha256(package.encode()).hexdigest()[:8]
    sagemaker.create_model(
        ModelName=f"{name}-{suffix}",
        ExecutionRoleArn=variables["execution_role_arn"],
        PrimaryContainer={"ModelPackageName": package},
        Tags=resource_tags,
    )
    variant = {
        "VariantName": "AllTraffic",
        "ModelName": f"{name}-{suffix}",
        "InstanceType": variables["instance_type"],
        "InitialInstanceCount": variables["instance_count"],
    }
    sagemaker.create_endpoint_config(
        EndpointConfigName=f"{name}-{suffix}", ProductionVariants=[variant], Tags=resource_tags
    )
    sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-{suffix}", Tags=resource_tags)
    if variables["autoscaling"]:
        resource_id = f"endpoint/{name}/variant/AllTraffic"
        scope = {
            "ServiceNamespace": "sagemaker",
            "ResourceId": resource_id,
            "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
        }
        account.autoscaling.register_scalable_target(
            **scope,
            MinCapacity=variables["autoscaling"]["min_capacity"],
            MaxCapacity=variables["autoscaling"]["max_capacity"],
        )
        account.autoscaling.put_scaling_policy(
            **scope,
            PolicyName=f"{name}-invocations",
            PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration={
                "TargetValue": variables["autoscaling"]["target_invocations_per_instance"],
                "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"},
            },
        )


def deploy_env() -> dict[str, str]:
    """What the deploy build gets from CodeBuild (modules/mlops-project's environment of the deploy projects)."""
    return {
        "SAGEMAKER_PROJECT_NAME": PROJECT,
        "SAGEMAKER_PROJECT_ID": PROJECT_ID,
        "MODEL_PACKAGE_GROUP_NAME": GROUP,
        "ARTIFACT_BUCKET": f"sagemaker-project-{PROJECT_ID}-{ACCOUNT}",
        "KMS_KEY_ARN": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k",
        "SAGEMAKER_EXECUTION_ROLE_ARN": ROLE,
        "DEPLOY_STAGES_JSON": json.dumps(STAGES),
    }


def deploy_project(account: Account, tmp_path: Path) -> list[str]:
    """A project after its pipelines ran: packages registered, the pipeline upserted, the stages deployed."""
    sagemaker = account.sagemaker
    sagemaker.create_model_package_group(ModelPackageGroupName=GROUP, Tags=tags(PROJECT_ID))
    packages = [register(sagemaker, "Approved"), register(sagemaker, "PendingManualApproval")]
    sagemaker.create_pipeline(
        PipelineName=PIPELINE,
        PipelineDefinition=json.dumps({"Version": "2020-12-01", "Steps": []}),
        RoleArn=ROLE,
        Tags=tags(PROJECT_ID, **{"sagemaker:project-name": PROJECT}),
    )
    sagemaker.start_pipeline_execution(PipelineName=PIPELINE)
    env = deploy_env()
    assert build.main(["--output-dir", str(tmp_path)], env=env, sagemaker_client=sagemaker) == 0
    for stage in STAGES:
        apply_endpoint(account, json.loads((tmp_path / f"{stage['name']}.tfvars.json").read_text()))
    return packages


def foreign_endpoint(account: Account, name: str, project_id: str | None) -> None:
    """An endpoint (with its config and model) of another project, or of nobody."""
    resource_tags = tags(project_id) if project_id else []
    account.sagemaker.create_model(
        ModelName=f"{name}-m", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE}, Tags=resource_tags
    )
    variant = {
        "VariantName": "AllTraffic",
        "ModelName": f"{name}-m",
        "InstanceType": "ml.m5.large",
        "InitialInstanceCount": 1,
    }
    account.sagemaker.create_endpoint_config(
        EndpointConfigName=f"{name}-c", ProductionVariants=[variant], Tags=resource_tags
    )
    account.sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-c", Tags=resource_tags)


def fake_clock(seconds: float = 600.0) -> Clock:
    now = [0.0]

    def sleep(delay: float) -> None:
        now[0] += delay

    return Clock(deadline=seconds, now=lambda: now[0], sleep=sleep)


def inventory(account: Account) -> dict[str, list[str]]:
    """Every SageMaker and autoscaling resource in the account, by kind."""
    sagemaker = account.sagemaker
    return {
        "endpoints": sorted(e["EndpointName"] for e in sagemaker.list_endpoints()["Endpoints"]),
        "endpoint_configs": sorted(
            c["EndpointConfigName"] for c in sagemaker.list_endpoint_configs()["EndpointConfigs"]
        ),
        "models": sorted(m["ModelName"] for m in sagemaker.list_models()["Models"]),
        "pipelines": sorted(p["PipelineName"] for p in sagemaker.list_pipelines()["PipelineSummaries"]),
        "model_packages": sorted(
            p["ModelPackageArn"]
            for p in sagemaker.list_model_packages(ModelPackageGroupName=GROUP)["ModelPackageSummaryList"]
        )
        if sagemaker.list_model_package_groups(NameContains=GROUP)["ModelPackageGroupSummaryList"]
        else [],
        "scalable_targets": sorted(
            t["ResourceId"]
            for t in account.autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
        ),
        "scaling_policies": sorted(
            p["PolicyName"]
            for p in account.autoscaling.describe_scaling_policies(ServiceNamespace="sagemaker")["ScalingPolicies"]
        ),
    }


def run(account: Account, action: str, clock: Clock | None = None, **extra: Any) -> dict[str, Any]:
    return project_teardown.teardown(
        account.sagemaker, account.autoscaling, event(action, **extra), clock or fake_clock()
    )


def test_delete_removes_what_the_pipelines_created_and_nothing_else(account: Account, tmp_path: Path) -> None:
    packages = deploy_project(account, tmp_path)
    foreign_endpoint(account, "other-staging", OTHER_ID)
    before = inventory(account)
    assert before["endpoints"] == ["demo-prod", "demo-staging", "other-staging"]
    assert before["scalable_targets"] == ["endpoint/demo-staging/variant/AllTraffic"]
    assert before["pipelines"] == [PIPELINE] and before["model_packages"] == sorted(packages)

    result = run(account, "delete")

    assert result["status"] == "deleted" and result["left"] == []
    assert sorted(result["removed"]["endpoints"]) == ["demo-prod", "demo-staging"]
    assert sorted(account.deleted_packages) == sorted(packages)
    assert inventory(account) == {
        "endpoints": ["other-staging"],
        "endpoint_configs": ["other-staging-c"],
        "models": ["other-staging-m"],
        "pipelines": [],
        "model_packages": [],
        "scalable_targets": [],
        "scaling_policies": [],
    }
    # The group is empty, so Terraform's destroy of it can now succeed.
    assert account.sagemaker.describe_model_package_group(ModelPackageGroupName=GROUP)["ModelPackageGroupName"] == GROUP


def test_running_twice_is_fine(account: Account, tmp_path: Path) -> None:
    deploy_project(account, tmp_path)
    run(account, "delete")
    again = run(account, "delete")
    assert again == {"status": "deleted", "removed": {}, "left": []}


@pytest.mark.parametrize("action", ["create", "update"])
def test_create_and_update_do_nothing(account: Account, tmp_path: Path, action: str) -> None:
    deploy_project(account, tmp_path)
    before = inventory(account)
    assert run(account, action) == {"status": "skipped", "action": action}
    assert inventory(account) == before and account.deleted_packages == []


def test_a_resource_named_like_the_project_but_tagged_for_another_is_left(account: Account, tmp_path: Path) -> None:
    deploy_project(account, tmp_path)
    foreign_endpoint(account, "demo-legacy", OTHER_ID)  # e.g. project "demo-legacy" has endpoint "demo-legacy"...
    foreign_endpoint(account, "demo-untagged", None)
    result = run(account, "delete")
    left = inventory(account)
    assert left["endpoints"] == ["demo-legacy", "demo-untagged"]
    assert left["endpoint_configs"] == ["demo-legacy-c", "demo-untagged-c"]
    assert left["models"] == ["demo-legacy-m", "demo-untagged-m"]
    assert sorted(result["left"]) == [
        "endpoint config demo-legacy-c",
        "endpoint config demo-untagged-c",
        "endpoint demo-legacy",
        "endpoint demo-untagged",
        "model demo-legacy-m",
        "model demo-untagged-m",
    ]


def test_a_group_tagged_for_another_project_keeps_its_packages(account: Account) -> None:
    account.sagemaker.create_model_package_group(ModelPackageGroupName=GROUP, Tags=tags(OTHER_ID))
    package = register(account.sagemaker, "Approved")
    result = run(account, "delete")
    assert result["left"] == [f"model package group {GROUP}"]
    assert inventory(account)["model_packages"] == [package] and account.deleted_packages == []


def test_a_failing_delete_raises_naming_the_resource(account: Account, tmp_path: Path) -> None:
    deploy_project(account, tmp_path)

    def deny(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if json.loads(params["body"])["EndpointName"] != "demo-prod":
            return None
        error = {"Code": "AccessDeniedException", "Message": "not authorized to perform sagemaker:DeleteEndpoint"}
        return _http(400), {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 400}}

    account.sagemaker.meta.events.register("before-call.sagemaker.DeleteEndpoint", deny)
    with pytest.raises(TeardownError, match=r"not fully removed: endpoint demo-prod: .*AccessDeniedException"):
        run(account, "delete")
    left = inventory(account)
    assert left["endpoints"] == ["demo-prod"]  # the rest was still removed
    assert left["pipelines"] == [] and left["model_packages"] == [] and left["scalable_targets"] == []


def test_a_conflict_is_retried_until_it_clears(account: Account, tmp_path: Path) -> None:
    deploy_project(account, tmp_path)
    conflicts = [1, 1]

    def busy(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if not conflicts:
            return None
        conflicts.pop()
        error = {"Code": "ThrottlingException", "Message": "Rate exceeded"}
        return _http(400), {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 400}}

    account.sagemaker.meta.events.register("before-call.sagemaker.DeleteEndpoint", busy)
    assert run(account, "delete")["status"] == "deleted"
    assert inventory(account)["endpoints"] == []


def test_an_endpoint_still_changing_state_is_retried(account: Account, tmp_path: Path) -> None:
    deploy_project(account, tmp_path)
    answers = [1]

    def updating(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if not answers:
            return None
        answers.pop()
        error = {"Code": "ValidationException", "Message": "Cannot update in-progress endpoint"}
        return _http(400), {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 400}}

    account.sagemaker.meta.events.register("before-call.sagemaker.DeleteEndpoint", updating)
    assert run(account, "delete")["status"] == "deleted" and answers == []
    assert inventory(account)["endpoints"] == []


def test_a_conflict_that_outlasts_the_deadline_fails(account: Account, tmp_path: Path) -> None:
    deploy_project(account, tmp_path)

    def busy(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        error = {"Code": "ResourceInUse", "Message": "endpoint is updating"}
        return _http(400), {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 400}}

    account.sagemaker.meta.events.register("before-call.sagemaker.DeleteEndpoint", busy)
    with pytest.raises(TeardownError, match="endpoint demo-prod: ResourceInUse") as raised:
        run(account, "delete", fake_clock(60))
    assert "endpoint demo-staging: ResourceInUse" in str(raised.value)


def test_running_pipeline_executions_are_stopped_before_the_pipeline_is_deleted() -> None:
    """moto has no StopPipelineExecution: the calls are checked against the real SageMaker model by Stubber."""
    sagemaker = boto3.client("sagemaker", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    arn = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/{PIPELINE.lower()}"
    execution = f"{arn}/execution/abc123"
    started = {"StartTime": "2026-01-01T00:00:00Z", "PipelineExecutionArn": execution}
    outcome = project_teardown.Outcome()
    with Stubber(sagemaker) as stub:
        stub.add_response("describe_pipeline", {"PipelineArn": arn}, {"PipelineName": PIPELINE})
        stub.add_response("list_tags", {"Tags": tags(PROJECT_ID)}, {"ResourceArn": arn})
        executing = {"PipelineExecutionSummaries": [{**started, "PipelineExecutionStatus": "Executing"}]}
        stub.add_response("list_pipeline_executions", executing, {"PipelineName": PIPELINE})
        stop = {"PipelineExecutionArn": execution}
        stub.add_response("stop_pipeline_execution", stop, {"PipelineExecutionArn": execution})
        stopping = {"PipelineExecutionSummaries": [{**started, "PipelineExecutionStatus": "Stopping"}]}
        stub.add_response("list_pipeline_executions", stopping, {"PipelineName": PIPELINE})
        stopped = {"PipelineExecutionSummaries": [{**started, "PipelineExecutionStatus": "Stopped"}]}
        stub.add_response("list_pipeline_executions", stopped, {"PipelineName": PIPELINE})
        stub.add_response("delete_pipeline", {"PipelineArn": arn}, {"PipelineName": PIPELINE})
        project_teardown.remove_pipeline(sagemaker, project_teardown.Project.from_event(EVENT), fake_clock(), outcome)
        stub.assert_no_pending_responses()
    assert outcome.removed == {"pipeline_executions_stopped": [execution], "pipelines": [PIPELINE]}


def test_an_execution_that_does_not_stop_in_time_fails_naming_it() -> None:
    sagemaker = boto3.client("sagemaker", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    arn = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/{PIPELINE.lower()}"
    execution = f"{arn}/execution/abc123"
    stopping = {
        "PipelineExecutionSummaries": [
            {
                "StartTime": "2026-01-01T00:00:00Z",
                "PipelineExecutionArn": execution,
                "PipelineExecutionStatus": "Stopping",
            }
        ]
    }
    with Stubber(sagemaker) as stub:
        stub.add_response("describe_pipeline", {"PipelineArn": arn}, {"PipelineName": PIPELINE})
        stub.add_response("list_tags", {"Tags": tags(PROJECT_ID)}, {"ResourceArn": arn})
        stub.add_response("list_pipeline_executions", stopping, {"PipelineName": PIPELINE})
        with pytest.raises(TeardownError, match=f"executions still running: {execution}"):
            project_teardown.remove_pipeline(
                sagemaker, project_teardown.Project.from_event(EVENT), fake_clock(5), project_teardown.Outcome()
            )


def test_an_event_without_the_project_fails_clearly() -> None:
    with pytest.raises(TeardownError, match="the event lacks project_id, sagemaker_pipeline_name"):
        project_teardown.teardown(
            None,
            None,
            {"project_name": "demo", "model_package_group_name": GROUP, "tf": {"action": "delete"}},
            fake_clock(),
        )


def test_the_handler_keeps_a_margin_before_the_lambda_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Clock] = []

    def fake_teardown(sagemaker: Any, autoscaling: Any, event: Any, clock: Clock) -> dict[str, Any]:
        seen.append(clock)
        return {"status": "skipped"}

    class Context:
        def get_remaining_time_in_millis(self) -> int:
            return 300_000

    monkeypatch.setattr("time.monotonic", lambda: 1000.0)
    monkeypatch.setattr("boto3.client", lambda *args, **kwargs: None)
    monkeypatch.setattr(project_teardown, "teardown", fake_teardown)
    project_teardown.handler(event("create"), Context())
    assert seen[0].deadline == 1000.0 + 300 - project_teardown.MARGIN_SECONDS


# --- experiment pipelines and the experiments group (the multi-branch template) -------------------------------

MINE = [f"{PROJECT}-feature-x", f"{PROJECT}-fix-data-1a2b3c4d"]  # the experiments build's names for two branches
FOREIGN = {
    f"{PROJECT}-legacy-main": (EXPERIMENTS_ROLE, OTHER_ID),  # named like the project, another project's tag
    f"{PROJECT}-manual": (ROLE, PROJECT_ID),  # the project's tag, but not run as the experiments role
    f"other-{PROJECT}-feature": (EXPERIMENTS_ROLE, OTHER_ID),  # not named like the project at all
}


def pipeline(account: Account, name: str, role: str, project_id: str) -> None:
    account.sagemaker.create_pipeline(
        PipelineName=name,
        PipelineDefinition=json.dumps({"Version": "2020-12-01", "Steps": []}),
        RoleArn=role,
        Tags=tags(project_id),
    )


def run_forever(account: Account, name: str) -> str:
    """An execution of ``name`` that moto reports Executing until StopPipelineExecution (which moto lacks) is called:
    a before-call hook marks it Stopped in moto's backend."""
    arn: str = account.sagemaker.start_pipeline_execution(PipelineName=name)["PipelineExecutionArn"]
    executions = sagemaker_backends[ACCOUNT][REGION].pipelines[name].pipeline_executions
    executions[arn].pipeline_execution_status = "Executing"

    def stop(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        stopped = json.loads(params["body"])["PipelineExecutionArn"]
        executions[stopped].pipeline_execution_status = "Stopped"
        return _http(200), {"PipelineExecutionArn": stopped}

    account.sagemaker.meta.events.register("before-call.sagemaker.StopPipelineExecution", stop)
    return arn


def experiments_project(account: Account, tmp_path: Path) -> tuple[list[str], str]:
    """A multi-branch project after its branches ran: two experiment pipelines (one still executing), packages in
    both groups, and pipelines named like the project that are not its experiments. Returns the packages and the
    running execution."""
    packages = deploy_project(account, tmp_path)
    account.sagemaker.create_model_package_group(ModelPackageGroupName=EXPERIMENTS_GROUP, Tags=tags(PROJECT_ID))
    packages += [register(account.sagemaker, status, EXPERIMENTS_GROUP) for status in ("Approved", "Rejected")]
    for name in MINE:
        pipeline(account, name, EXPERIMENTS_ROLE, PROJECT_ID)
    for name, (role, project_id) in FOREIGN.items():
        pipeline(account, name, role, project_id)
    return packages, run_forever(account, MINE[0])


def pipelines(account: Account) -> list[str]:
    return sorted(p["PipelineName"] for p in account.sagemaker.list_pipelines()["PipelineSummaries"])


def packages_of(account: Account, group: str) -> list[str]:
    summaries = account.sagemaker.list_model_packages(ModelPackageGroupName=group)["ModelPackageSummaryList"]
    return sorted(p["ModelPackageArn"] for p in summaries)


def test_delete_with_experiments_removes_the_experiment_pipelines_and_packages(
    account: Account, tmp_path: Path
) -> None:
    packages, running = experiments_project(account, tmp_path)
    assert pipelines(account) == sorted([PIPELINE, *MINE, *FOREIGN])
    assert len(packages_of(account, GROUP)) == len(packages_of(account, EXPERIMENTS_GROUP)) == 2

    result = run(account, "delete", experiments=EXPERIMENTS)

    assert result["status"] == "deleted"
    assert sorted(result["removed"]["pipelines"]) == sorted([PIPELINE, *MINE])
    assert result["removed"]["pipeline_executions_stopped"] == [running]
    assert sorted(result["removed"]["model_packages"]) == sorted(packages) == sorted(account.deleted_packages)
    assert sorted(result["left"]) == [f"pipeline {PROJECT}-legacy-main", f"pipeline {PROJECT}-manual"]
    assert pipelines(account) == sorted(FOREIGN)
    assert packages_of(account, GROUP) == packages_of(account, EXPERIMENTS_GROUP) == []
    # Both groups are empty and still there: Terraform's destroy deletes them next.
    for group in (GROUP, EXPERIMENTS_GROUP):
        assert account.sagemaker.describe_model_package_group(ModelPackageGroupName=group)["ModelPackageGroupName"]

    again = run(account, "delete", experiments=EXPERIMENTS)
    assert again == {"status": "deleted", "removed": {}, "left": result["left"]}
    assert pipelines(account) == sorted(FOREIGN)


def test_without_experiments_no_other_pipeline_is_listed_or_deleted(account: Account, tmp_path: Path) -> None:
    packages, _ = experiments_project(account, tmp_path)
    listed: list[dict[str, Any]] = []
    account.sagemaker.meta.events.register(
        "before-call.sagemaker.ListPipelines", lambda params, **_: listed.append(params)
    )

    result = run(account, "delete")

    assert listed == [] and result["left"] == []
    assert result["removed"]["pipelines"] == [PIPELINE] and pipelines(account) == sorted([*MINE, *FOREIGN])
    assert packages_of(account, GROUP) == [] and packages_of(account, EXPERIMENTS_GROUP) == sorted(packages[2:])


def test_an_experiments_group_tagged_for_another_project_keeps_its_packages(account: Account) -> None:
    account.sagemaker.create_model_package_group(ModelPackageGroupName=EXPERIMENTS_GROUP, Tags=tags(OTHER_ID))
    package = register(account.sagemaker, "Approved", EXPERIMENTS_GROUP)
    result = run(account, "delete", experiments=EXPERIMENTS)
    assert result["left"] == [f"model package group {EXPERIMENTS_GROUP}"]
    assert packages_of(account, EXPERIMENTS_GROUP) == [package] and account.deleted_packages == []


def test_a_failing_experiment_pipeline_is_named_and_the_rest_still_removed(account: Account, tmp_path: Path) -> None:
    experiments_project(account, tmp_path)

    def deny(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if json.loads(params["body"])["PipelineName"] != MINE[1]:
            return None
        error = {"Code": "AccessDeniedException", "Message": "not authorized to perform sagemaker:DeletePipeline"}
        return _http(400), {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 400}}

    account.sagemaker.meta.events.register("before-call.sagemaker.DeletePipeline", deny)
    with pytest.raises(TeardownError, match=rf"not fully removed: pipeline {MINE[1]}: AccessDeniedException"):
        run(account, "delete", experiments=EXPERIMENTS)
    assert pipelines(account) == sorted([MINE[1], *FOREIGN])
    assert packages_of(account, EXPERIMENTS_GROUP) == []


@pytest.mark.parametrize(
    ("experiments", "message"),
    [
        ({"model_package_group_name": EXPERIMENTS_GROUP}, "the event lacks experiments.pipeline_role_arn"),
        ({"pipeline_role_arn": EXPERIMENTS_ROLE}, "the event lacks experiments.model_package_group_name"),
        ({**EXPERIMENTS, "model_package_group_name": ""}, "the event lacks experiments.model_package_group_name"),
        ({**EXPERIMENTS, "pipeline_role_arn": 1}, "the event lacks experiments.pipeline_role_arn"),
        ({}, "the event lacks experiments.model_package_group_name, experiments.pipeline_role_arn"),
        ([EXPERIMENTS_GROUP, EXPERIMENTS_ROLE], "experiments must be an object with model_package_group_name and"),
        ("yes", "experiments must be an object .*, not str"),
    ],
)
def test_malformed_experiments_fail_naming_the_key(experiments: Any, message: str) -> None:
    with pytest.raises(TeardownError, match=message):
        project_teardown.teardown(None, None, event("delete", experiments=experiments), fake_clock())


def test_experiments_null_is_no_experiments() -> None:
    project = project_teardown.Project.from_event({**EVENT, "experiments": None})
    assert project.experiments is None and project.model_package_groups == [GROUP]


@pytest.mark.terraform
def test_the_endpoint_terraform_applied_by_the_deploy_stage_is_torn_down(
    real_provider_source: ProviderSource, fresh_moto: MotoServer, tmp_path: Path
) -> None:
    """End to end on a moto server: build.py picks the approved package and writes the stage's var file, the real
    endpoint/ root is applied with it (model, endpoint config, endpoint), then the teardown removes them all.

    Autoscaling is left out here: moto has no Application Auto Scaling ListTagsForResource, which the provider
    calls after RegisterScalableTarget (the in-process tests above cover the autoscaling path).
    """
    sagemaker, autoscaling = fresh_moto.client("sagemaker"), fresh_moto.client("application-autoscaling")
    registry = demo.RecordingRegistry(sagemaker)  # DeleteModelPackage, which moto lacks
    sagemaker.create_model_package_group(ModelPackageGroupName=GROUP, Tags=tags(PROJECT_ID))
    package = register(sagemaker, "Approved")
    env = {**deploy_env(), "DEPLOY_STAGES_JSON": json.dumps([{"name": "staging"}])}
    assert build.main(["--output-dir", str(tmp_path / "out")], env=env, sagemaker_client=sagemaker) == 0
    wc = prepare(MODEL_DEPLOY / "endpoint", tmp_path / "wc", real_provider_source, endpoint_url=fresh_moto.url)
    var_file = tmp_path / "out" / "staging.tfvars.json"
    wc.run("apply", "-auto-approve", "-no-color", "-input=false", f"-var-file={var_file}", timeout=300)
    assert [e["EndpointName"] for e in sagemaker.list_endpoints()["Endpoints"]] == ["demo-staging"]

    result = project_teardown.teardown(sagemaker, autoscaling, event("delete"), fake_clock())

    assert result["removed"]["endpoints"] == ["demo-staging"] and registry.deleted == [package]
    assert len(result["removed"]["endpoint_configs"]) == len(result["removed"]["models"]) == 1
    assert sagemaker.list_endpoints()["Endpoints"] == []
    assert sagemaker.list_endpoint_configs()["EndpointConfigs"] == []
    assert sagemaker.list_models()["Models"] == []
