"""Every IAM document a project of modules/mlops-project creates, read from the plan: no `*` action, no `*` resource
except for the few actions AWS offers no resource-level permissions for, and resource policies' own `*`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mlops_templates.toolchain import ProviderSource
from tests.harness.collector import plan
from tests.harness.inventory import planned_resources
from tests.harness.paths import MODULES

HERE = Path(__file__).parent
# Actions without resource-level permissions (their only valid Resource is "*").
STAR_RESOURCE_ALLOWED = {
    "application-autoscaling:DescribeScalableTargets",
    "application-autoscaling:DescribeScalingPolicies",
    "cloudwatch:PutMetricData",
    "ecr:GetAuthorizationToken",
    "xray:PutTelemetryRecords",
    "xray:PutTraceSegments",
}


def _documents(value: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, document) of every JSON policy document inside a planned resource's values."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _documents(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _documents(item, f"{path}[{i}]")
    elif isinstance(value, str) and value.lstrip().startswith("{") and '"Statement"' in value:
        yield path, json.loads(value)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@pytest.fixture(scope="module")
def default_plan(tmp_path_factory: pytest.TempPathFactory, provider_source: ProviderSource) -> dict[str, Any]:
    scratch = tmp_path_factory.mktemp("btd-policies")
    return plan(MODULES / "mlops-project", [HERE / "defaults.tfvars"], scratch, provider_source)


def test_no_wildcard_actions_or_resources(default_plan: dict[str, Any]) -> None:
    documents = [
        (f"{address}{where}", doc)
        for address, values in planned_resources(default_plan).items()
        for where, doc in _documents(values, "")
    ]
    # The product names its key by alias and its roles by ARNs built from their names, so the service roles'
    # policies are known at plan. (The bucket policy and the seed-push and events roles name ARNs of resources
    # created in the same apply; those policies are asserted in their modules' plan tests.)
    found = {where.split(".policy")[0].split(".assume_role_policy")[0] for where, _ in documents}
    expected = {
        f'module.{role}_role.aws_iam_role_policy.this["{name}"]'
        for role, name in [
            ("sagemaker", "sagemaker"),
            ("model_build", "model_build"),
            ("model_deploy", "model_deploy"),
            ("codepipeline", "codepipeline"),
        ]
    }
    expected |= {f"module.{role}_role.aws_iam_role.this" for role in ("sagemaker", "model_build", "model_deploy")}
    assert expected <= found, f"policies not known at plan: {sorted(expected - found)}"
    problems: list[str] = []
    for where, doc in documents:
        key_policy = ".aws_kms_key." in where
        for statement in _as_list(doc["Statement"]):
            actions = _as_list(statement.get("Action", []))
            if "*" in actions:
                problems.append(f"{where} {statement.get('Sid')}: action '*'")
            if statement.get("Effect", "Allow") != "Allow" or key_policy:
                continue  # Deny statements may be broad; in a key policy "*" is the key itself
            if "*" in _as_list(statement.get("Resource", [])):
                loose = sorted(set(actions) - STAR_RESOURCE_ALLOWED)
                if loose:
                    problems.append(f"{where} {statement.get('Sid')}: resource '*' for {loose}")
    assert not problems, "over-broad IAM statements:\n" + "\n".join(problems)


def test_every_taggable_resource_carries_the_project_tags(default_plan: dict[str, Any]) -> None:
    untagged = [
        address
        for address, values in planned_resources(default_plan).items()
        if "tags" in values
        and (values["tags"] or {}).get("sagemaker:project-id") != "p-abcdef123456"
        and not address.endswith("approval_rule_template.this[0]")
    ]
    assert not untagged, f"resources without sagemaker:project-id: {untagged}"
