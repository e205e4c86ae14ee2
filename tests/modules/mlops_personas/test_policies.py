"""The persona policies of modules/mlops-personas, read from the plan of the `full` case: tag enforcement on
provisioning, approval denied to data scientists and granted to leads, team isolation by principal tag, and no
over-broad statement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import hcl2
import pytest

from mlops_templates.toolchain import ProviderSource
from tests.harness.inventory import planned_resources
from tests.harness.paths import MODULES
from tests.harness.plans import planned

HERE = Path(__file__).parent
APPROVAL_ACTIONS = {"sagemaker:UpdateModelPackage", "codepipeline:PutApprovalResult"}
# Actions without resource-level permissions (service authorization reference): "*" is their only valid resource.
STAR_RESOURCE_ALLOWED = {
    "codepipeline:ListPipelines",
    "sagemaker:ListModelPackageGroups",
    "sagemaker:ListProjects",
    "servicecatalog:AssociateProductWithPortfolio",
    "servicecatalog:CreateTagOption",
    "servicecatalog:DeleteConstraint",
    "servicecatalog:DeleteTagOption",
    "servicecatalog:DescribeConstraint",
    "servicecatalog:DescribeProductView",
    "servicecatalog:DescribeProvisionedProduct",
    "servicecatalog:DescribeRecord",
    "servicecatalog:DescribeTagOption",
    "servicecatalog:DisassociateProductFromPortfolio",
    "servicecatalog:ListConstraintsForPortfolio",
    "servicecatalog:ListPortfolios",
    "servicecatalog:ListRecordHistory",
    "servicecatalog:ListResourcesForTagOption",
    "servicecatalog:ListTagOptions",
    "servicecatalog:ScanProvisionedProducts",
    "servicecatalog:SearchProducts",
    "servicecatalog:SearchProductsAsAdmin",
    "servicecatalog:SearchProvisionedProducts",
    "servicecatalog:TerminateProvisionedProduct",
    "servicecatalog:UpdateConstraint",
    "servicecatalog:UpdateProvisionedProduct",
    "servicecatalog:UpdateTagOption",
}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _tfvars() -> dict[str, Any]:
    with (HERE / "full.tfvars").open() as handle:
        data: dict[str, Any] = hcl2.load(
            handle, serialization_options=hcl2.SerializationOptions(strip_string_quotes=True, explicit_blocks=False)
        )
    return data


@pytest.fixture(scope="module")
def resources(plan_cache: Path, provider_source: ProviderSource) -> dict[str, dict[str, Any]]:
    return planned_resources(planned(plan_cache, MODULES / "mlops-personas", [HERE / "full.tfvars"], provider_source))


def _document(resources: dict[str, dict[str, Any]], address: str, attribute: str = "policy") -> dict[str, Any]:
    assert address in resources, f"{address} is not in the plan: {sorted(resources)}"
    value = resources[address].get(attribute)
    assert isinstance(value, str), f"{address}.{attribute} is not known at plan"
    doc: dict[str, Any] = json.loads(value)
    return doc


def _statements(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in _as_list(doc["Statement"]) if "Sid" in s}


def _allowed_actions(doc: dict[str, Any]) -> set[str]:
    return {a for s in _as_list(doc["Statement"]) if s.get("Effect", "Allow") == "Allow" for a in _as_list(s["Action"])}


def _assert_enforced_tags(statement: dict[str, Any], keys: list[str]) -> None:
    condition = statement.get("Condition", {})
    nulls = condition.get("Null", {})
    for key in keys:
        assert nulls.get(f"aws:RequestTag/{key}") in ("false", ["false"]), (
            f"{statement['Sid']}: no Null aws:RequestTag/{key} = false condition: {condition}"
        )
    tag_keys = condition.get("ForAnyValue:StringEquals", {}).get("aws:TagKeys")
    assert tag_keys is not None and set(_as_list(tag_keys)) == set(keys), f"{statement['Sid']}: aws:TagKeys {tag_keys}"


def test_data_scientist_provisions_only_with_every_enforced_tag(resources: dict[str, dict[str, Any]]) -> None:
    keys = _tfvars()["enforced_tag_keys"]
    assert len(keys) == 3
    for address in ('aws_iam_policy.persona["data_scientist"]', "aws_iam_policy.studio_execution"):
        doc = _document(resources, address)
        statements = _statements(doc)
        guarded = {
            "servicecatalog:ProvisionProduct": "ProvisionWithEnforcedTags",
            "servicecatalog:UpdateProvisionedProduct": "UpdateOwnWithEnforcedTags",
            "sagemaker:CreateProject": "CreateProjectWithEnforcedTags",
        }
        for action, sid in guarded.items():
            assert action in _as_list(statements[sid]["Action"])
            _assert_enforced_tags(statements[sid], keys)
            granting = [
                s.get("Sid")
                for s in _as_list(doc["Statement"])
                if s.get("Effect", "Allow") == "Allow" and action in _as_list(s["Action"])
            ]
            assert granting == [sid], f"{address}: {action} is also granted without tags by {granting}"


def test_data_scientist_cannot_approve(resources: dict[str, dict[str, Any]]) -> None:
    doc = _document(resources, 'aws_iam_policy.persona["data_scientist"]')
    assert not APPROVAL_ACTIONS & _allowed_actions(doc)
    statements = _statements(doc)
    model = statements["DenyModelApproval"]
    assert model["Effect"] == "Deny" and "sagemaker:UpdateModelPackage" in _as_list(model["Action"])
    assert model["Resource"] == "*"
    assert model["Condition"]["StringNotEquals"]["sagemaker:ModelApprovalStatus"] in (
        "PendingManualApproval",
        ["PendingManualApproval"],
    )
    pipeline = statements["DenyPipelineApproval"]
    assert pipeline["Effect"] == "Deny" and _as_list(pipeline["Action"]) == ["codepipeline:PutApprovalResult"]
    assert "Condition" not in pipeline


def test_lead_approves_and_is_not_denied(resources: dict[str, dict[str, Any]]) -> None:
    doc = _document(resources, 'aws_iam_policy.persona["lead_data_scientist"]')
    assert _allowed_actions(doc) >= APPROVAL_ACTIONS
    assert all(s.get("Effect", "Allow") == "Allow" for s in _as_list(doc["Statement"])), "a lead has no deny"
    data_scientist = _document(resources, 'aws_iam_policy.persona["data_scientist"]')
    assert _allowed_actions(data_scientist) | APPROVAL_ACTIONS == _allowed_actions(doc), (
        "a lead may do what a data scientist may, plus approving"
    )
    statements = _statements(doc)
    assert _as_list(statements["ApproveModelPackages"]["Resource"]) == [
        "arn:aws:sagemaker:eu-west-1:123456789012:model-package/*"
    ]


def test_team_isolation_uses_the_principal_team_tag(resources: dict[str, dict[str, Any]]) -> None:
    doc = _document(resources, "aws_iam_policy.team_isolation[0]")
    statements = _statements(doc)
    own = statements["OwnTeamProjectResources"]
    assert own["Effect"] == "Allow"
    assert own["Condition"]["StringEquals"]["aws:ResourceTag/team"] in (
        "${aws:PrincipalTag/team}",
        ["${aws:PrincipalTag/team}"],
    )
    other = statements["DenyOtherTeamsResources"]
    assert other["Effect"] == "Deny" and set(_as_list(other["Action"])) >= APPROVAL_ACTIONS
    assert other["Condition"]["StringNotEquals"]["aws:ResourceTag/team"] in (
        "${aws:PrincipalTag/team}",
        ["${aws:PrincipalTag/team}"],
    )
    tagging = statements["DenyTaggingForOtherTeams"]
    assert tagging["Condition"]["StringNotEquals"]["aws:RequestTag/team"] in (
        "${aws:PrincipalTag/team}",
        ["${aws:PrincipalTag/team}"],
    )
    known = statements["DenyCallersWithoutKnownTeam"]
    assert set(_as_list(known["Condition"]["StringNotEquals"]["aws:PrincipalTag/team"])) == set(_tfvars()["teams"])
    for role, team in [("data-scientist-fraud", "fraud"), ("lead-data-scientist-churn", "churn")]:
        assert resources[f'aws_iam_role.persona["{role}"]']["tags"]["team"] == team
        attachments = [a for a in resources if a.startswith(f'aws_iam_role_policy_attachment.persona["{role}/')]
        assert f'aws_iam_role_policy_attachment.persona["{role}/team_isolation"]' in attachments


def test_no_wildcard_actions_or_needless_wildcard_resources(resources: dict[str, dict[str, Any]]) -> None:
    problems: list[str] = []
    documents = 0
    for address, values in resources.items():
        for attribute in ("policy", "assume_role_policy"):
            if not isinstance(values.get(attribute), str):
                continue
            documents += 1
            for statement in _as_list(json.loads(values[attribute])["Statement"]):
                actions = _as_list(statement.get("Action", []))
                if any(a == "*" or a.endswith(":*") for a in actions):
                    problems.append(f"{address} {statement.get('Sid')}: wildcard action {actions}")
                if statement.get("Effect", "Allow") != "Allow":
                    continue  # a Deny may be broad
                if "*" in _as_list(statement.get("Resource", [])):
                    loose = sorted(set(actions) - STAR_RESOURCE_ALLOWED)
                    if loose:
                        problems.append(f"{address} {statement.get('Sid')}: resource '*' for {loose}")
    # 5 managed policies, 5 trust policies of the persona roles (launch roles: modules/launch-roles).
    assert documents == 10, f"{documents} policy documents known at plan, expected all 10"
    assert not problems, "over-broad IAM statements:\n" + "\n".join(problems)


def test_every_taggable_resource_is_tagged(resources: dict[str, dict[str, Any]]) -> None:
    untagged = [a for a, v in resources.items() if "tags" in v and (v["tags"] or {}).get("owner") != "platform-team"]
    assert not untagged, f"resources without the caller's tags: {untagged}"
