"""Every IAM document a project of modules/mlops-project creates, read from the plan: no `*` action, no `*` resource
except for the few actions AWS offers no resource-level permissions for, and resource policies' own `*`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mlops_templates.toolchain import ProviderSource
from tests.authorization.cases import override_files
from tests.harness.inventory import planned_resources
from tests.harness.paths import MODULES
from tests.harness.plans import planned
from tests.harness.policies import as_list

HERE = Path(__file__).parent
# The service roles name the project key by its ARN, known only after apply: the authorization layer's override
# gives it a fixed placeholder so that every policy document is rendered in the plan.
KEY_ARN_OVERRIDE = "tests/authorization/overrides/mlops_project_key_arn.tf"
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


@pytest.fixture(scope="module")
def default_plan(plan_cache: Path, provider_source: ProviderSource) -> dict[str, Any]:
    # The same plan as the authorization cases of service_roles.yaml (shared under the first provider source).
    extra = override_files([KEY_ARN_OVERRIDE])
    return planned(plan_cache, MODULES / "mlops-project", [HERE / "defaults.tfvars"], provider_source, extra)


def test_no_wildcard_actions_or_resources(default_plan: dict[str, Any]) -> None:
    documents = [
        (f"{address}{where}", doc)
        for address, values in planned_resources(default_plan).items()
        for where, doc in _documents(values, "")
    ]
    # With the key's ARN substituted, the service roles' policies and the bucket policy are known at plan (the
    # roles are named by ARNs built from their names). (The events role names the pipelines' ARNs, created in the
    # same apply; its policy is asserted in its module's plan tests.)
    found = {where.split(".policy")[0].split(".assume_role_policy")[0] for where, _ in documents}
    expected = {
        f'module.service_role["{role}"].aws_iam_role_policy.this["{role}"]'
        for role in ("sagemaker", "model_build", "model_deploy", "codepipeline")
    }
    expected |= {
        f'module.service_role["{role}"].aws_iam_role.this' for role in ("sagemaker", "model_build", "model_deploy")
    }
    expected |= {"module.artifact_bucket.aws_s3_bucket_policy.this"}
    assert expected <= found, f"policies not known at plan: {sorted(expected - found)}"
    problems: list[str] = []
    for where, doc in documents:
        key_policy = ".aws_kms_key." in where
        for statement in as_list(doc["Statement"]):
            actions = as_list(statement.get("Action", []))
            if "*" in actions:
                problems.append(f"{where} {statement.get('Sid')}: action '*'")
            if statement.get("Effect", "Allow") != "Allow" or key_policy:
                continue  # Deny statements may be broad; in a key policy "*" is the key itself
            if "*" in as_list(statement.get("Resource", [])):
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


def _statements(plan: dict[str, Any], address: str, project_id: str) -> list[dict[str, Any]]:
    """The statements of a role's inline policy, the project's id replaced by a neutral one."""
    policy = planned_resources(plan)[address]["policy"]
    return sorted(
        (json.loads(json.dumps(s).replace(project_id, "p-project")) for s in json.loads(policy)["Statement"]),
        key=lambda s: json.dumps(s, sort_keys=True),
    )


@pytest.mark.parametrize("role", ["model_build", "model_deploy"])
def test_github_actions_roles_may_do_what_the_codebuild_roles_do(
    plan_cache: Path, provider_source: ProviderSource, role: str
) -> None:
    """The workflows' roles (ci github-actions) hold the CodeBuild roles' statements, all of them but CodeBuild's logs,
    so every call the recorded-calls tests find allowed to the CodeBuild roles (run_pipeline, build.py,
    endpoint_check.py, the endpoint Terraform) is allowed to the workflows that run the same code."""
    extra = override_files([KEY_ARN_OVERRIDE])
    codebuild = planned(
        plan_cache, MODULES / "mlops-project", [HERE / "third_party_git.tfvars"], provider_source, extra
    )
    actions = planned(plan_cache, MODULES / "mlops-project", [HERE / "github_actions.tfvars"], provider_source, extra)
    expected = [
        s
        for s in _statements(
            codebuild, f'module.service_role["{role}"].aws_iam_role_policy.this["{role}"]', "p-git123456789"
        )
        if s.get("Sid") != "OwnLogGroups"
    ]
    got = _statements(
        actions, f'module.github_actions_role["{role}"].aws_iam_role_policy.this["{role}"]', "p-gha123456789"
    )
    assert got == expected
    assert not any("codebuild" in json.dumps(s) for s in got), "the workflows' roles have no CodeBuild grant"
