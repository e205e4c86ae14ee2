"""The launch roles of modules/launch-roles, read from the plan of the `full` case: trusted by Service Catalog and
the engine only, each holding exactly its product's policy, and guarded so that no role is created or changed
without the catalog's permissions boundary, whatever a product's policy says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mlops_templates.toolchain import ProviderSource
from tests.harness.inventory import planned_resources
from tests.harness.paths import MODULES
from tests.harness.plans import planned
from tests.harness.policies import as_list, document, statements_by_sid, tfvars

HERE = Path(__file__).parent
FULL = HERE / "full.tfvars"
BOUNDARY_ARN = "arn:aws:iam::123456789012:policy/mlops-templates/mlops-project-boundary"
ROLE_WRITES = {
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
}
# Actions without resource-level permissions (service authorization reference): "*" is their only valid resource.
STAR_RESOURCE_ALLOWED = {
    "resource-groups:CreateGroup",
    "tag:GetResources",
    "tag:GetTagKeys",
    "tag:GetTagValues",
    "tag:TagResources",
    "tag:UntagResources",
}


@pytest.fixture(scope="module")
def resources(plan_cache: Path, provider_source: ProviderSource) -> dict[str, dict[str, Any]]:
    return planned_resources(planned(plan_cache, MODULES / "launch-roles", [HERE / "full.tfvars"], provider_source))


def test_launch_roles_trust_service_catalog_and_the_engine(resources: dict[str, dict[str, Any]]) -> None:
    for product in tfvars(FULL)["products"]:
        trust = statements_by_sid(document(resources, f'aws_iam_role.this["{product}"]', "assume_role_policy"))
        assert trust["AssumeByServiceCatalog"]["Principal"]["Service"] in (
            "servicecatalog.amazonaws.com",
            ["servicecatalog.amazonaws.com"],
        )
        engine = trust["AssumeByTerraformEngine"]
        assert "aws:PrincipalArn" in engine["Condition"]["StringLike"]
        product_policy = document(resources, f'aws_iam_role_policy.product["{product}"]')
        assert product_policy == json.loads(tfvars(FULL)["products"][product]["launch_policy_json"])


def test_every_launch_role_is_guarded_by_the_boundary(resources: dict[str, dict[str, Any]]) -> None:
    for product in tfvars(FULL)["products"]:
        guard = statements_by_sid(document(resources, f'aws_iam_role_policy.boundary_guard["{product}"]'))
        writes = guard["DenyRoleWritesWithoutTheBoundary"]
        assert writes["Effect"] == "Deny" and set(as_list(writes["Action"])) == ROLE_WRITES
        # StringNotEquals matches when the key is absent: a CreateRole without a boundary is denied too.
        assert writes["Condition"] == {"StringNotEquals": {"iam:PermissionsBoundary": BOUNDARY_ARN}}
        changes = guard["DenyBoundaryRemovalAndChanges"]
        assert {"iam:DeleteRolePermissionsBoundary", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"} <= set(
            as_list(changes["Action"])
        )
        assert "Condition" not in changes
    boundary = resources["aws_iam_policy.boundary"]
    assert f"arn:aws:iam::123456789012:policy{boundary['path']}{boundary['name']}" == BOUNDARY_ARN
    assert json.loads(boundary["policy"]) == json.loads(tfvars(FULL)["permissions_boundary"]["policy_json"])


def test_no_wildcard_actions_or_needless_wildcard_resources(resources: dict[str, dict[str, Any]]) -> None:
    problems: list[str] = []
    for address, values in resources.items():
        if address.startswith(("aws_iam_role_policy.product", "aws_iam_policy.boundary")):
            continue  # given by the caller (the catalog's launch policies and boundary, tested in tests/catalog)
        for attribute in ("policy", "assume_role_policy"):
            if not isinstance(values.get(attribute), str):
                continue
            for statement in as_list(json.loads(values[attribute])["Statement"]):
                actions = as_list(statement.get("Action", []))
                if any(a == "*" or a.endswith(":*") for a in actions):
                    problems.append(f"{address} {statement.get('Sid')}: wildcard action {actions}")
                if statement.get("Effect", "Allow") == "Allow" and "*" in as_list(statement.get("Resource", [])):
                    loose = sorted(set(actions) - STAR_RESOURCE_ALLOWED)
                    if loose:
                        problems.append(f"{address} {statement.get('Sid')}: resource '*' for {loose}")
    assert not problems, "over-broad IAM statements:\n" + "\n".join(problems)
