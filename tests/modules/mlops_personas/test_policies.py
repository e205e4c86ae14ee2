"""The persona policies of modules/mlops-personas, read from the plan of the `full` case: tag enforcement on
provisioning, approval denied to data scientists and granted to leads, team isolation by principal tag, and no
over-broad statement."""

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


@pytest.fixture(scope="module")
def resources(plan_cache: Path, provider_source: ProviderSource) -> dict[str, dict[str, Any]]:
    return planned_resources(planned(plan_cache, MODULES / "mlops-personas", [HERE / "full.tfvars"], provider_source))


def _allowed_actions(doc: dict[str, Any]) -> set[str]:
    return {a for s in as_list(doc["Statement"]) if s.get("Effect", "Allow") == "Allow" for a in as_list(s["Action"])}


def _assert_enforced_tags(statement: dict[str, Any], keys: list[str]) -> None:
    condition = statement.get("Condition", {})
    nulls = condition.get("Null", {})
    for key in keys:
        assert nulls.get(f"aws:RequestTag/{key}") in ("false", ["false"]), (
            f"{statement['Sid']}: no Null aws:RequestTag/{key} = false condition: {condition}"
        )
    tag_keys = condition.get("ForAnyValue:StringEquals", {}).get("aws:TagKeys")
    assert tag_keys is not None and set(as_list(tag_keys)) == set(keys), f"{statement['Sid']}: aws:TagKeys {tag_keys}"


def test_data_scientist_provisions_only_with_every_enforced_tag(resources: dict[str, dict[str, Any]]) -> None:
    keys = tfvars(FULL)["enforced_tag_keys"]
    assert len(keys) == 3
    for address in ('aws_iam_policy.persona["data_scientist"]', "aws_iam_policy.studio_execution"):
        doc = document(resources, address)
        statements = statements_by_sid(doc)
        guarded = {
            "servicecatalog:ProvisionProduct": "ProvisionWithEnforcedTags",
            "servicecatalog:UpdateProvisionedProduct": "UpdateOwnWithEnforcedTags",
            "sagemaker:CreateProject": "CreateProjectWithEnforcedTags",
        }
        for action, sid in guarded.items():
            assert action in as_list(statements[sid]["Action"])
            _assert_enforced_tags(statements[sid], keys)
            granting = [
                s.get("Sid")
                for s in as_list(doc["Statement"])
                if s.get("Effect", "Allow") == "Allow" and action in as_list(s["Action"])
            ]
            assert granting == [sid], f"{address}: {action} is also granted without tags by {granting}"


def test_data_scientist_cannot_approve(resources: dict[str, dict[str, Any]]) -> None:
    doc = document(resources, 'aws_iam_policy.persona["data_scientist"]')
    assert not APPROVAL_ACTIONS & _allowed_actions(doc)
    statements = statements_by_sid(doc)
    model = statements["DenyModelApproval"]
    assert model["Effect"] == "Deny" and "sagemaker:UpdateModelPackage" in as_list(model["Action"])
    assert model["Resource"] == "*"
    assert model["Condition"]["StringNotEquals"]["sagemaker:ModelApprovalStatus"] in (
        "PendingManualApproval",
        ["PendingManualApproval"],
    )
    pipeline = statements["DenyPipelineApproval"]
    assert pipeline["Effect"] == "Deny" and as_list(pipeline["Action"]) == ["codepipeline:PutApprovalResult"]
    assert "Condition" not in pipeline


def test_lead_approves_and_is_not_denied(resources: dict[str, dict[str, Any]]) -> None:
    doc = document(resources, 'aws_iam_policy.persona["lead_data_scientist"]')
    assert _allowed_actions(doc) >= APPROVAL_ACTIONS
    assert all(s.get("Effect", "Allow") == "Allow" for s in as_list(doc["Statement"])), "a lead has no deny"
    data_scientist = document(resources, 'aws_iam_policy.persona["data_scientist"]')
    assert _allowed_actions(data_scientist) | APPROVAL_ACTIONS == _allowed_actions(doc), (
        "a lead may do what a data scientist may, plus approving"
    )
    statements = statements_by_sid(doc)
    assert as_list(statements["ApproveModelPackages"]["Resource"]) == [
        "arn:aws:sagemaker:eu-west-1:123456789012:model-package/*"
    ]


def test_team_isolation_uses_the_principal_team_tag(resources: dict[str, dict[str, Any]]) -> None:
    doc = document(resources, "aws_iam_policy.team_isolation[0]")
    statements = statements_by_sid(doc)
    own = statements["OwnTeamProjectResources"]
    assert own["Effect"] == "Allow"
    assert own["Condition"]["StringEquals"]["aws:ResourceTag/team"] in (
        "${aws:PrincipalTag/team}",
        ["${aws:PrincipalTag/team}"],
    )
    other = statements["DenyOtherTeamsResources"]
    assert other["Effect"] == "Deny" and set(as_list(other["Action"])) >= APPROVAL_ACTIONS
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
    assert set(as_list(known["Condition"]["StringNotEquals"]["aws:PrincipalTag/team"])) == set(tfvars(FULL)["teams"])
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
            for statement in as_list(json.loads(values[attribute])["Statement"]):
                actions = as_list(statement.get("Action", []))
                if any(a == "*" or a.endswith(":*") for a in actions):
                    problems.append(f"{address} {statement.get('Sid')}: wildcard action {actions}")
                if statement.get("Effect", "Allow") != "Allow":
                    continue  # a Deny may be broad
                if "*" in as_list(statement.get("Resource", [])):
                    loose = sorted(set(actions) - STAR_RESOURCE_ALLOWED)
                    if loose:
                        problems.append(f"{address} {statement.get('Sid')}: resource '*' for {loose}")
    # 5 managed policies, 5 trust policies of the persona roles (launch roles: modules/launch-roles).
    assert documents == 10, f"{documents} policy documents known at plan, expected all 10"
    assert not problems, "over-broad IAM statements:\n" + "\n".join(problems)


def test_every_taggable_resource_is_tagged(resources: dict[str, dict[str, Any]]) -> None:
    untagged = [a for a, v in resources.items() if "tags" in v and (v["tags"] or {}).get("owner") != "platform-team"]
    assert not untagged, f"resources without the caller's tags: {untagged}"
