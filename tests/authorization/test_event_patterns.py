"""The EventBridge patterns of modules/mlops-project's rules, read from the plan of the mixed-case three-stage
project, against the documented sample event of each source (positive and negative), with moto's matcher (an
implementation of EventBridge's matching semantics)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pytest
from moto.events.models import EventPattern

from tests.authorization.cases import plan_for
from tests.harness.inventory import planned_resources

if TYPE_CHECKING:
    from moto.events.utils import EventMessageType

SPEC = {
    "plan": "modules/mlops-project",
    "tfvars": ["tests/modules/mlops_project/three_stages.tfvars"],
    "overrides": ["tests/authorization/overrides/mlops_project_key_arn.tf"],
}
GROUP = "Churn-Model-p-zyx987654321-models"

# The sample event of the SageMaker documentation ("SageMaker Model Package State Change"), for this project's
# group: SageMaker keeps the group name as created and lowercases it only inside ARNs.
MODEL_PACKAGE_EVENT: dict[str, Any] = {
    "version": "0",
    "id": "7f3e2c6a-1111-2222-3333-444455556666",
    "detail-type": "SageMaker Model Package State Change",
    "source": "aws.sagemaker",
    "account": "123456789012",
    "time": "2026-11-26T05:00:00Z",
    "region": "eu-west-1",
    "resources": ["arn:aws:sagemaker:eu-west-1:123456789012:model-package/churn-model-p-zyx987654321-models/3"],
    "detail": {
        "ModelPackageGroupName": GROUP,
        "ModelPackageVersion": 3,
        "ModelPackageArn": "arn:aws:sagemaker:eu-west-1:123456789012:model-package/churn-model-p-zyx987654321-models/3",
        "CreationTime": 1764133200000,
        "ModelPackageStatus": "Completed",
        "ModelApprovalStatus": "Approved",
        "ApprovalDescription": "approved after review",
    },
}


@pytest.fixture(scope="module")
def rules(plan_cache: Path) -> dict[str, dict[str, Any]]:
    resources = planned_resources(plan_for(SPEC, plan_cache))
    prefix = 'module.event_rules[0].aws_cloudwatch_event_rule.this["'
    return {a[len(prefix) : -2]: v for a, v in resources.items() if a.startswith(prefix)}


def _event(**detail: Any) -> dict[str, Any]:
    event = copy.deepcopy(MODEL_PACKAGE_EVENT)
    event["detail"].update(detail)
    return event


@pytest.mark.parametrize(
    ("why", "event", "matches"),
    [
        ("approved version of the group", _event(), True),
        ("rejected version of the group: roll back", _event(ModelApprovalStatus="Rejected"), True),
        ("registered, pending approval", _event(ModelApprovalStatus="PendingManualApproval"), False),
        ("another project's group", _event(ModelPackageGroupName="fraud-detector-p-abcdef123456-models"), False),
        ("the group name lowercased is another name", _event(ModelPackageGroupName=GROUP.lower()), False),
        ("another source", {**_event(), "source": "aws.codecommit"}, False),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_model_approval_rule(rules: dict[str, dict[str, Any]], why: str, event: dict[str, Any], matches: bool) -> None:
    pattern = rules["model-approval"].get("event_pattern")
    assert pattern, "the model-approval pattern is unknown at plan"
    assert EventPattern.load(pattern).matches_event(cast("EventMessageType", event)) is matches, (
        f"{why}: {json.loads(pattern)}"
    )


# The referenceUpdated sample event of the CodeCommit documentation ("CodeCommit Repository State Change"), for a
# push to main of this project's model-build repository.
BUILD_REPOSITORY = "sagemaker-Churn-Model-p-zyx987654321-modelbuild"
DEPLOY_REPOSITORY = "sagemaker-Churn-Model-p-zyx987654321-modeldeploy"
PUSH_EVENT: dict[str, Any] = {
    "version": "0",
    "id": "01234567-0123-0123-0123-012345678901",
    "detail-type": "CodeCommit Repository State Change",
    "source": "aws.codecommit",
    "account": "123456789012",
    "time": "2026-11-26T05:00:00Z",
    "region": "eu-west-1",
    "resources": [f"arn:aws:codecommit:eu-west-1:123456789012:{BUILD_REPOSITORY}"],
    "detail": {
        "callerUserArn": "arn:aws:sts::123456789012:assumed-role/studio-growth/alice",
        "commitId": "5e9c1d6a1f0d3b1b0e2f7a4c9d8e7f6a5b4c3d2e",
        "event": "referenceUpdated",
        "oldCommitId": "0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a69788796",
        "referenceFullName": "refs/heads/main",
        "referenceName": "main",
        "referenceType": "branch",
        "repositoryId": "12345678-1234-5678-abcd-12345678abcd",
        "repositoryName": BUILD_REPOSITORY,
    },
}


def _push(repository: str = BUILD_REPOSITORY, **detail: Any) -> dict[str, Any]:
    event = copy.deepcopy(PUSH_EVENT)
    event["resources"] = [f"arn:aws:codecommit:eu-west-1:123456789012:{repository}"]
    event["detail"].update({"repositoryName": repository, **detail})
    return event


@pytest.mark.parametrize(
    ("rule", "why", "event", "matches"),
    [
        ("model-build-code", "push to main of the build repository", _push(), True),
        ("model-build-code", "main created (first push)", _push(event="referenceCreated"), True),
        ("model-build-code", "main deleted", _push(event="referenceDeleted"), False),
        (
            "model-build-code",
            "push to another branch",
            _push(referenceName="feature", referenceFullName="refs/heads/feature"),
            False,
        ),
        ("model-build-code", "a tag named main", _push(referenceType="tag", referenceFullName="refs/tags/main"), False),
        ("model-build-code", "push to the deploy repository", _push(DEPLOY_REPOSITORY), False),
        (
            "model-build-code",
            "another account's repository",
            {**_push(), "resources": [f"arn:aws:codecommit:eu-west-1:210987654321:{BUILD_REPOSITORY}"]},
            False,
        ),
        ("model-build-code", "the repository name lowercased", _push(BUILD_REPOSITORY.lower()), False),
        ("model-deploy-code", "push to main of the deploy repository", _push(DEPLOY_REPOSITORY), True),
        ("model-deploy-code", "push to the build repository", _push(), False),
        ("model-deploy-code", "a SageMaker event", MODEL_PACKAGE_EVENT, False),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_code_push_rules(
    rules: dict[str, dict[str, Any]], rule: str, why: str, event: dict[str, Any], matches: bool
) -> None:
    pattern = rules[rule].get("event_pattern")
    assert pattern, f"the {rule} pattern is unknown at plan"
    assert EventPattern.load(pattern).matches_event(cast("EventMessageType", event)) is matches, (
        f"{why}: {json.loads(pattern)}"
    )


# Experimentation branches (tests/modules/mlops_project/experiment_branches.tfvars): the branch function's rule takes
# every branch event of the model-build repository but main's, which stays the model-build pipeline's.
BRANCHES_SPEC = {**SPEC, "tfvars": ["tests/modules/mlops_project/experiment_branches.tfvars"]}
EXPERIMENT_REPOSITORY = "sagemaker-churn-p-exp123456789-modelbuild"


def _branch(name: str = "feature/x", repository: str = EXPERIMENT_REPOSITORY, **detail: Any) -> dict[str, Any]:
    return _push(repository, **{"referenceName": name, "referenceFullName": f"refs/heads/{name}", **detail})


@pytest.fixture(scope="module")
def branch_rule(plan_cache: Path) -> str:
    resources = planned_resources(plan_for(BRANCHES_SPEC, plan_cache))
    pattern = resources['module.branch_pipelines[0].aws_cloudwatch_event_rule.this["branches"]'].get("event_pattern")
    assert pattern, "the branch pattern is unknown at plan"
    return str(pattern)


@pytest.mark.parametrize(
    ("why", "event", "matches"),
    [
        ("push to a feature branch", _branch(), True),
        ("a branch created", _branch("try-lightgbm", event="referenceCreated"), True),
        ("a branch deleted", _branch(event="referenceDeleted"), True),
        ("a branch named like main but longer", _branch("main-2"), True),
        ("push to main", _branch("main"), False),
        ("main deleted", _branch("main", event="referenceDeleted"), False),
        ("a tag", _branch(referenceType="tag", referenceFullName="refs/tags/v1"), False),
        ("the deploy repository's branch", _branch(repository="sagemaker-churn-p-exp123456789-modeldeploy"), False),
        ("another project's repository", _branch(repository=BUILD_REPOSITORY), False),
        ("a SageMaker event", MODEL_PACKAGE_EVENT, False),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_experiment_branch_rule(branch_rule: str, why: str, event: dict[str, Any], matches: bool) -> None:
    assert EventPattern.load(branch_rule).matches_event(cast("EventMessageType", event)) is matches, (
        f"{why}: {json.loads(branch_rule)}"
    )


# The GitHub Actions project (tests/modules/mlops_project/github_actions.tfvars): its dispatch rule sends the same
# events to the github-dispatch function, whose payload is what the deploy workflow reads.
GITHUB_ACTIONS_SPEC = {**SPEC, "tfvars": ["tests/modules/mlops_project/github_actions.tfvars"]}
GITHUB_ACTIONS_GROUP = "churn-p-gha123456789-models"


@pytest.fixture(scope="module")
def dispatch_rule(plan_cache: Path) -> str:
    resources = planned_resources(plan_for(GITHUB_ACTIONS_SPEC, plan_cache))
    pattern = resources["module.github_dispatch[0].aws_cloudwatch_event_rule.this"].get("event_pattern")
    assert pattern, "the dispatch rule's pattern is unknown at plan"
    return str(pattern)


@pytest.mark.parametrize(
    ("why", "detail", "payload"),
    [
        ("approved version of the group: deploy", {}, "Approved"),
        ("rejected version of the group: roll back", {"ModelApprovalStatus": "Rejected"}, "Rejected"),
        ("registered, pending approval", {"ModelApprovalStatus": "PendingManualApproval"}, None),
        ("another project's group", {"ModelPackageGroupName": GROUP}, None),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_github_dispatch_rule(dispatch_rule: str, why: str, detail: dict[str, Any], payload: str | None) -> None:
    """What the rule delivers, the function turns into the deploy workflow's client_payload; nothing else arrives."""
    from mlops_templates.lambdas import github_dispatch

    event = _event(**{"ModelPackageGroupName": GITHUB_ACTIONS_GROUP, **detail})
    matches = EventPattern.load(dispatch_rule).matches_event(cast("EventMessageType", event))
    assert matches is (payload is not None), f"{why}: {json.loads(dispatch_rule)}"
    if matches:
        sent = github_dispatch.client_payload(event)
        assert sent is not None and sent["approval_status"] == payload
        assert sent["model_package_group_name"] == GITHUB_ACTIONS_GROUP
