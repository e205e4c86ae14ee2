"""Destroy order of a project: Terraform destroys a resource before everything it depends on, so the teardown
invocation (which runs the teardown when destroyed) must depend, directly or not, on the function, its role,
policy and log group, the project bucket (the stages' state), the model package group and the key."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from mlops_templates.toolchain import ProviderSource
from tests.harness import moto
from tests.harness.paths import REPO
from tests.harness.terraform import prepare

INVOCATION = "module.project_teardown.aws_lambda_invocation.this"
EDGE = re.compile(r'^\s*"([^"]+)" -> "([^"]+)"', re.MULTILINE)


def dependencies(dot: str, start: str) -> set[str]:
    """Everything ``start`` depends on in `terraform graph` output (edges point from dependent to dependency)."""
    edges: dict[str, set[str]] = defaultdict(set)
    for dependent, dependency in EDGE.findall(dot):
        edges[dependent].add(dependency)
    seen: set[str] = set()
    todo = [start]
    while todo:
        for node in edges[todo.pop()] - seen:
            seen.add(node)
            todo.append(node)
    return seen


@pytest.mark.terraform
def test_the_teardown_runs_before_what_it_needs_and_protects(provider_source: ProviderSource, tmp_path: Path) -> None:
    wc = prepare(REPO / "modules" / "mlops-project", tmp_path, provider_source, endpoint_url=moto.shared().url)
    reached = dependencies(wc.run("graph").stdout, INVOCATION)
    assert {
        "module.project_teardown.module.function.aws_lambda_function.this",
        "module.project_teardown.module.function.aws_cloudwatch_log_group.this",
        "module.project_teardown.module.function.module.role.aws_iam_role.this",
        "module.project_teardown.module.function.module.role.aws_iam_role_policy.this",
        "module.artifact_bucket.aws_s3_bucket.this",
        "module.model_package_group.aws_sagemaker_model_package_group.this",
        "module.kms_key.aws_kms_key.this",
    } <= reached


def test_dependencies_follow_edges_transitively() -> None:
    dot = '"a" -> "b";\n  "b" -> "c";\n  "x" -> "a";\n'
    assert dependencies(dot, "a") == {"b", "c"}
