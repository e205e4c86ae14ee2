"""Launch policies of catalog/launch-policies: one per product (the statements of the fragments its
``<product>.json`` lists, composed as catalog/main.tf does), no wildcard action, "*" only where AWS has no
resource-level permission, and a create/delete permission for every resource type the product's Terraform declares
(read from the product and the modules it vendors, the way `mlops-templates package` finds them)."""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from mlops_templates import packaging
from tests.harness.paths import CATALOG, REPO, product_dirs

POLICIES = CATALOG / "launch-policies"
FRAGMENTS = POLICIES / "fragments"
VARIABLES = {
    "account_id": "123456789012",
    "region": "eu-west-1",
    "partition": "aws",
    "catalog_bucket_parameter_name": "/mlops-templates/catalog-bucket-name",
    "github_oidc_parameter_name": "/mlops-templates/github-oidc-provider-arn",
    "access_log_bucket_parameter_name": "/mlops-templates/access-log-bucket-name",
    "access_log_bucket_parameter_path": "/mlops-templates",
    "permissions_boundary_arn": "arn:aws:iam::123456789012:policy/mlops-templates/mlops-project-boundary",
}
# IAM writes on roles that support iam:PermissionsBoundary: each needs the catalog's boundary.
ROLE_WRITES = {
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
}
STAR_RESOURCE_ALLOWED = {
    "kms:CreateKey",  # conditioned on the project tag in the request
    "kms:ListAliases",
    "codecommit:CreateApprovalRuleTemplate",
    "codecommit:DeleteApprovalRuleTemplate",
    "codecommit:GetApprovalRuleTemplate",
    "codecommit:UpdateApprovalRuleTemplateContent",
    "codecommit:UpdateApprovalRuleTemplateDescription",
    "codecommit:ListRepositoriesForApprovalRuleTemplate",
    # API Gateway's access logs of an HTTP API stage are a CloudWatch Logs delivery, managed without resource ARNs.
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
}
# What the launch role must be allowed to do to create and destroy each resource type.
REQUIRED = {
    "aws_apigatewayv2_api": ["apigateway:POST", "apigateway:DELETE", "apigateway:GET", "apigateway:TagResource"],
    "aws_apigatewayv2_integration": ["apigateway:POST", "apigateway:DELETE"],
    "aws_apigatewayv2_route": ["apigateway:POST", "apigateway:DELETE"],
    "aws_apigatewayv2_stage": ["apigateway:POST", "apigateway:DELETE", "logs:CreateLogDelivery"],
    "aws_lambda_permission": ["lambda:AddPermission", "lambda:RemovePermission", "lambda:GetPolicy"],
    "aws_s3_bucket_notification": ["s3:PutBucketNotification", "s3:GetBucketNotification"],
    "aws_cloudwatch_event_rule": ["events:PutRule", "events:DeleteRule", "events:DescribeRule"],
    "aws_cloudwatch_event_target": ["events:PutTargets", "events:RemoveTargets", "iam:PassRole"],
    "aws_cloudwatch_log_group": ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy"],
    "aws_codebuild_project": ["codebuild:CreateProject", "codebuild:DeleteProject", "iam:PassRole"],
    "aws_codecommit_approval_rule_template": [
        "codecommit:CreateApprovalRuleTemplate",
        "codecommit:DeleteApprovalRuleTemplate",
    ],
    "aws_codecommit_approval_rule_template_association": [
        "codecommit:AssociateApprovalRuleTemplateWithRepository",
        "codecommit:DisassociateApprovalRuleTemplateFromRepository",
    ],
    "aws_codecommit_repository": ["codecommit:CreateRepository", "codecommit:DeleteRepository"],
    "aws_codepipeline": ["codepipeline:CreatePipeline", "codepipeline:DeletePipeline", "iam:PassRole"],
    "aws_iam_role": ["iam:CreateRole", "iam:DeleteRole", "iam:TagRole"],
    "aws_iam_role_policy": ["iam:PutRolePolicy", "iam:DeleteRolePolicy"],
    # Declared by modules/iam-service-role, but no product attaches managed policies: attaching one (say
    # AdministratorAccess) is what the boundary is there to stop, so no launch policy allows it.
    "aws_iam_role_policy_attachment": [],
    "aws_kms_alias": ["kms:CreateAlias", "kms:DeleteAlias"],
    "aws_kms_key": ["kms:CreateKey", "kms:ScheduleKeyDeletion", "kms:EnableKeyRotation", "kms:PutKeyPolicy"],
    # Reserved concurrency (modules/project-function) is set with PutFunctionConcurrency.
    "aws_lambda_function": [
        "lambda:CreateFunction",
        "lambda:DeleteFunction",
        "lambda:PutFunctionConcurrency",
        "iam:PassRole",
    ],
    "aws_lambda_invocation": ["lambda:InvokeFunction"],
    # force_destroy (the project bucket) empties every object version and delete marker before DeleteBucket.
    "aws_s3_bucket": ["s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucketVersions", "s3:DeleteObjectVersion"],
    "aws_s3_bucket_lifecycle_configuration": ["s3:PutLifecycleConfiguration"],
    "aws_s3_bucket_logging": ["s3:PutBucketLogging"],
    "aws_s3_bucket_ownership_controls": ["s3:PutBucketOwnershipControls"],
    "aws_s3_bucket_policy": ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy"],
    "aws_s3_bucket_public_access_block": ["s3:PutBucketPublicAccessBlock"],
    "aws_s3_bucket_server_side_encryption_configuration": ["s3:PutEncryptionConfiguration"],
    "aws_s3_bucket_versioning": ["s3:PutBucketVersioning"],
    "aws_sagemaker_model_package_group": [
        "sagemaker:CreateModelPackageGroup",
        "sagemaker:DeleteModelPackageGroup",
    ],
    "aws_sagemaker_model_package_group_policy": [
        "sagemaker:PutModelPackageGroupPolicy",
        "sagemaker:DeleteModelPackageGroupPolicy",
    ],
}
PRODUCTS = product_dirs()
# Resource types a product's vendored modules declare but its plans never create (a module's other kind), each
# pinned at count 0 by the product's plan inventories (test_not_created_is_what_the_plans_show).
CODECOMMIT = {
    "aws_codecommit_approval_rule_template",
    "aws_codecommit_approval_rule_template_association",
    "aws_codecommit_repository",
}
# The any-git webhook (modules/git-webhook) and its bucket notifications.
WEBHOOK = {
    "aws_apigatewayv2_api",
    "aws_apigatewayv2_integration",
    "aws_apigatewayv2_route",
    "aws_apigatewayv2_stage",
    "aws_lambda_permission",
    "aws_s3_bucket_notification",
}
NOT_CREATED = {
    "build-train-deploy": WEBHOOK,
    "build-train": WEBHOOK,
    "build-train-deploy-git": CODECOMMIT | WEBHOOK,
    "build-train-deploy-anygit": CODECOMMIT,
    "multi-branch": WEBHOOK - {"aws_lambda_permission"},  # the branch function's rules invoke it
    # GitHub Actions builds and deploys: no pipeline, no build project (the dispatch function's rule invokes it).
    "build-train-deploy-github-actions": CODECOMMIT
    | (WEBHOOK - {"aws_lambda_permission"})
    | {"aws_codebuild_project", "aws_codepipeline"},
}


def render(path: Path) -> dict[str, Any]:
    text = re.sub(r"\$\{(\w+)\}", lambda m: VARIABLES[m.group(1)], path.read_text())
    document: dict[str, Any] = json.loads(text)
    return document


def fragments_of(product: str) -> list[str]:
    listed = json.loads((POLICIES / f"{product}.json").read_text())
    assert isinstance(listed, list) and all(isinstance(f, str) for f in listed), f"{product}.json: a list of fragments"
    return listed


def policy(product: str) -> dict[str, Any]:
    """The launch policy of ``product`` as catalog/main.tf composes it."""
    statements = [s for f in fragments_of(product) for s in render(FRAGMENTS / f"{f}.json.tftpl")["Statement"]]
    sids = [s["Sid"] for s in statements]
    assert len(sids) == len(set(sids)), f"{product}: fragments repeat statement ids {sids}"
    return {"Version": "2012-10-17", "Statement": statements}


def allowed_actions(document: dict[str, Any]) -> list[str]:
    actions: list[str] = []
    for statement in document["Statement"]:
        assert statement["Effect"] == "Allow", statement.get("Sid")
        value = statement["Action"]
        actions += [value] if isinstance(value, str) else value
    return actions


def resource_types(product: Path) -> set[str]:
    entries = packaging.collect(product, REPO)
    text = "\n".join(e.content.decode() for e in entries if e.arcname.endswith(".tf"))
    return set(re.findall(r'^resource "(aws_[a-z0-9_]+)"', text, re.MULTILINE))


@pytest.mark.parametrize("product", PRODUCTS, ids=[p.name for p in PRODUCTS])
def test_every_product_has_a_launch_policy(product: Path) -> None:
    assert (POLICIES / f"{product.name}.json").is_file(), f"add catalog/launch-policies/{product.name}.json"
    for fragment in fragments_of(product.name):
        assert (FRAGMENTS / f"{fragment}.json.tftpl").is_file(), f"{product.name}.json: no fragment {fragment}"


def test_every_fragment_is_used() -> None:
    used = {f for product in PRODUCTS for f in fragments_of(product.name)}
    assert {p.name.removesuffix(".json.tftpl") for p in FRAGMENTS.glob("*.json.tftpl")} == used


@pytest.mark.parametrize("product", sorted(NOT_CREATED))
def test_not_created_is_what_the_plans_show(product: str) -> None:
    """The types a product does not create are at count 0 in every one of its plan cases."""
    cases = sorted((REPO / "tests" / "products" / product.replace("-", "_")).glob("*.yaml"))
    inventories = [yaml.safe_load(c.read_text()) for c in cases if c.name != "tftest.yaml"]
    assert inventories, f"{product} has no plan cases"
    for inventory in inventories:
        assert {t: inventory["counts"].get(t) for t in NOT_CREATED[product]} == dict.fromkeys(NOT_CREATED[product], 0)


@pytest.mark.parametrize("path", sorted(FRAGMENTS.glob("*.json.tftpl")), ids=lambda p: p.name)
def test_no_wildcard_action_and_star_resources_only_where_needed(path: Path) -> None:
    for statement in render(path)["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert not [a for a in actions if a == "*" or a.endswith(":*")], f"{path.name} {statement['Sid']}: wildcard"
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        if "*" in resources:
            extra = sorted(set(actions) - STAR_RESOURCE_ALLOWED)
            assert not extra, f"{path.name} {statement['Sid']}: resource '*' for {extra}"


@pytest.mark.parametrize("product", PRODUCTS, ids=[p.name for p in PRODUCTS])
def test_launch_policy_covers_every_resource_type(product: Path) -> None:
    actions = allowed_actions(policy(product.name))
    missing: dict[str, list[str]] = {}
    for resource_type in sorted(resource_types(product) - NOT_CREATED.get(product.name, set())):
        assert resource_type in REQUIRED, f"{product.name} creates {resource_type}: add its launch permissions here"
        lacking = [a for a in REQUIRED[resource_type] if not any(fnmatch.fnmatchcase(a, p) for p in actions)]
        if lacking:
            missing[resource_type] = lacking
    assert not missing, f"launch policy of {product.name} lacks {missing}"


def _actions(statement: dict[str, Any]) -> list[str]:
    value = statement["Action"]
    return [value] if isinstance(value, str) else list(value)


@pytest.mark.parametrize("product", PRODUCTS, ids=[p.name for p in PRODUCTS])
def test_roles_are_written_only_with_the_catalog_boundary(product: Path) -> None:
    """A launch role that may create roles or write their policies without a boundary can mint an administrator."""
    path = product
    granting = 0
    for statement in policy(product.name)["Statement"]:
        writes = sorted(ROLE_WRITES & set(_actions(statement)))
        if not writes:
            continue
        granting += 1
        condition = statement.get("Condition", {})
        assert condition == {"StringEquals": {"iam:PermissionsBoundary": VARIABLES["permissions_boundary_arn"]}}, (
            f"{path.name} {statement['Sid']}: {writes} without the catalog's permissions boundary: {condition}"
        )
    assert granting, f"{path.name}: no statement creates the product's roles"
    for statement in policy(product.name)["Statement"]:
        assert not {"iam:AttachRolePolicy", "iam:DetachRolePolicy"} & set(_actions(statement)), (
            f"{path.name} {statement['Sid']}: attaching managed policies is not needed by any product"
        )


@pytest.mark.parametrize("path", sorted(FRAGMENTS.glob("*.json.tftpl")), ids=lambda p: p.name)
def test_pass_role_names_the_services(path: Path) -> None:
    for statement in render(path)["Statement"]:
        if "iam:PassRole" in _actions(statement):
            services = statement.get("Condition", {}).get("StringEquals", {}).get("iam:PassedToService")
            assert services, f"{path.name} {statement['Sid']}: iam:PassRole to any service"
        for action in _actions(statement):
            if action.endswith(":PassConnection"):
                prefix = action.split(":")[0]
                service = statement.get("Condition", {}).get("StringEquals", {}).get(f"{prefix}:PassedToService")
                assert service == "codepipeline.amazonaws.com", f"{path.name} {statement['Sid']}: {action} not bound"


@pytest.mark.parametrize("path", sorted(FRAGMENTS.glob("*.json.tftpl")), ids=lambda p: p.name)
def test_keys_are_bound_by_tag_not_by_alias(path: Path) -> None:
    """Whoever can repoint an alias repoints access granted by alias; a key statement names project keys by tag."""
    for statement in render(path)["Statement"]:
        text = json.dumps(statement)
        assert "kms:ResourceAliases" not in text, f"{path.name} {statement['Sid']}: key access by alias"
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        if any(":key/" in r for r in resources):
            tag = statement.get("Condition", {}).get("StringLike", {}).get("aws:ResourceTag/sagemaker:project-id")
            assert tag == "p-*", f"{path.name} {statement['Sid']}: project keys not bound by their tag"


def test_repositories_follow_sagemaker_naming() -> None:
    """modules/mlops-project names its repositories like SageMaker's own templates (its plan inventory,
    tests/modules/mlops_project/defaults.yaml, pins the names); the launch policy may create exactly those."""
    statement = next(
        s for s in policy("build-train-deploy")["Statement"] if "codecommit:CreateRepository" in _actions(s)
    )
    resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
    arn = "arn:aws:codecommit:eu-west-1:123456789012:{}"
    for kind in ("modelbuild", "modeldeploy"):
        name = f"sagemaker-fraud-detector-p-abcdef123456-{kind}"
        assert any(fnmatch.fnmatchcase(arn.format(name), r) for r in resources), f"{name} is not creatable: {resources}"
    assert not any(fnmatch.fnmatchcase(arn.format("platform-modelbuild"), r) for r in resources)
