"""Apply the iam-service-role example against moto with the real provider, check the role, destroy it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mlops_templates.toolchain import ProviderSource
from tests.harness.moto import MotoServer
from tests.harness.paths import MODULES
from tests.harness.terraform import REGION, applied, prepare


@pytest.mark.slow
def test_example_applies_and_destroys(
    real_provider_source: ProviderSource, fresh_moto: MotoServer, tmp_path: Path
) -> None:
    example = MODULES / "iam-service-role" / "examples" / "basic"
    wc = prepare(example, tmp_path, real_provider_source, endpoint_url=fresh_moto.url)
    iam = fresh_moto.client("iam", REGION)
    with applied(wc) as outputs:
        name = outputs["role_name"]
        assert name == "example-project-codebuild"
        role = iam.get_role(RoleName=name)["Role"]
        raw: Any = role["AssumeRolePolicyDocument"]
        trust: dict[str, Any] = json.loads(raw) if isinstance(raw, str) else dict(raw)
        (statement,) = trust["Statement"]
        assert statement["Principal"] == {"Service": "codebuild.amazonaws.com"}
        assert statement["Action"] == "sts:AssumeRole"
        assert iam.list_role_policies(RoleName=name)["PolicyNames"] == ["codebuild"]
        raw = iam.get_role_policy(RoleName=name, PolicyName="codebuild")["PolicyDocument"]
        policy: dict[str, Any] = json.loads(raw) if isinstance(raw, str) else dict(raw)
        assert [s["Sid"] for s in policy["Statement"]] == ["OwnLogs", "ReadArtifacts"]
        assert {t["Key"]: t["Value"] for t in role.get("Tags", [])}["sagemaker:project-name"] == "example-project"
    assert [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"] == name] == []
