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
    prefix = 'module.event_rules.aws_cloudwatch_event_rule.this["'
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
