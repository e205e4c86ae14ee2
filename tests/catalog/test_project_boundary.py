"""The permissions boundary the catalog puts on every role a product creates (catalog/boundaries/): it caps a
project role at what a project needs, in this account only, and takes nothing the project's roles need away
(every action of every role of a planned project, modules/mlops-project, is allowed by the boundary)."""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.authorization.cases import plan_for
from tests.harness.inventory import planned_resources
from tests.harness.paths import CATALOG
from tests.harness.policies import as_list

BOUNDARY = CATALOG / "boundaries" / "mlops-project.json.tftpl"
VARIABLES = {
    "account_id": "123456789012",
    "region": "eu-west-1",
    "partition": "aws",
    "catalog_bucket_name": "mlops-catalog-123456789012",
}
PROJECT = {
    "plan": "modules/mlops-project",
    "tfvars": ["tests/modules/mlops_project/defaults.tfvars"],
    "overrides": ["tests/authorization/overrides/mlops_project_key_arn.tf"],
}
# Actions without resource-level permissions: "*" is their only valid resource.
STAR_RESOURCE_ALLOWED = {
    "application-autoscaling:DescribeScalableTargets",
    "application-autoscaling:DescribeScalingActivities",
    "application-autoscaling:DescribeScalingPolicies",
    "codepipeline:PutJobFailureResult",
    "codepipeline:PutJobSuccessResult",
    "cloudwatch:PutMetricData",
    "ecr:GetAuthorizationToken",
    "logs:DescribeLogGroups",
    "sagemaker:ListEndpointConfigs",
    "sagemaker:ListEndpoints",
    "sagemaker:ListModelPackageGroups",
    "sagemaker:ListModels",
    "sagemaker:ListPipelines",
    "sagemaker:Search",
    "xray:PutTelemetryRecords",
    "xray:PutTraceSegments",
}


def boundary() -> dict[str, Any]:
    text = re.sub(r"\$\{(\w+)\}", lambda m: VARIABLES[m.group(1)], BOUNDARY.read_text())
    document: dict[str, Any] = json.loads(text)
    return document


@pytest.fixture(scope="module")
def role_policies(plan_cache: Path) -> dict[str, dict[str, Any]]:
    """The inline policies of every role of a planned project, by address."""
    resources = planned_resources(plan_for(PROJECT, plan_cache))
    policies: dict[str, dict[str, Any]] = {}
    for address, values in resources.items():
        if address.split(".")[-2] == "aws_iam_role_policy" or ".aws_iam_role_policy." in address:
            if address.startswith("module.event_rules[0].") and not values.get("policy"):
                # names the pipelines' ARNs, unknown at plan; its one action is checked below
                policies[address] = {"Statement": [{"Action": "codepipeline:StartPipelineExecution"}]}
                continue
            assert values.get("policy"), f"{address}: policy unknown at plan"
            policies[address] = json.loads(values["policy"])
    assert len(policies) >= 6, f"expected the policies of every project role, got {sorted(policies)}"
    return policies


def test_boundary_allows_every_action_of_the_project_roles(role_policies: dict[str, dict[str, Any]]) -> None:
    allowed = [a for s in as_list(boundary()["Statement"]) if s["Effect"] == "Allow" for a in as_list(s["Action"])]
    missing = {
        f"{address} {statement.get('Sid')}": sorted(
            a for a in as_list(statement["Action"]) if not any(fnmatch.fnmatchcase(a, p) for p in allowed)
        )
        for address, policy in role_policies.items()
        for statement in as_list(policy["Statement"])
        if statement.get("Effect", "Allow") == "Allow"
    }
    missing = {k: v for k, v in missing.items() if v}
    assert not missing, f"the boundary would take these actions from the project's roles: {missing}"


def test_boundary_grants_no_iam_write_and_no_approval() -> None:
    statements = as_list(boundary()["Statement"])
    iam = {a for s in statements if s["Effect"] == "Allow" for a in as_list(s["Action"]) if a.startswith("iam:")}
    assert iam == {"iam:PassRole", "iam:CreateServiceLinkedRole"}, iam
    for statement in statements:
        if "iam:PassRole" in as_list(statement["Action"]):
            assert statement["Resource"] == "arn:aws:iam::123456789012:role/mlops-p-*"
            assert statement["Condition"]["StringEquals"]["iam:PassedToService"]
    denies = {a for s in statements if s["Effect"] == "Deny" for a in as_list(s["Action"])}
    assert {"sagemaker:UpdateModelPackage", "codepipeline:PutApprovalResult"} <= denies


def test_boundary_stays_in_this_account_without_wildcard_actions() -> None:
    for statement in as_list(boundary()["Statement"]):
        actions = as_list(statement["Action"])
        assert not [a for a in actions if a == "*" or a.endswith(":*")], f"{statement['Sid']}: wildcard action"
        if statement["Effect"] != "Allow":
            continue
        for resource in as_list(statement["Resource"]):
            if resource == "*":
                extra = sorted(set(actions) - STAR_RESOURCE_ALLOWED)
                assert not extra, f"{statement['Sid']}: resource '*' for {extra}"
            elif ":s3:::" not in resource and ":ecr:" not in resource:
                assert ":123456789012:" in resource, f"{statement['Sid']}: {resource} outside the account"
