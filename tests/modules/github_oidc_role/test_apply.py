"""Apply the github-oidc-role example against moto with the real provider (the account's GitHub OIDC provider
created first, as the catalog does), check the role's trust and policy as IAM holds them, destroy it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mlops_templates.toolchain import ProviderSource
from tests.harness.moto import MotoServer
from tests.harness.paths import MODULES
from tests.harness.terraform import REGION, applied, prepare

HOST = "token.actions.githubusercontent.com"


@pytest.mark.slow
def test_example_applies_and_destroys(
    real_provider_source: ProviderSource, fresh_moto: MotoServer, tmp_path: Path
) -> None:
    iam = fresh_moto.client("iam", REGION)
    provider = iam.create_open_id_connect_provider(
        Url=f"https://{HOST}", ClientIDList=["sts.amazonaws.com"], ThumbprintList=["0" * 40]
    )["OpenIDConnectProviderArn"]
    example = MODULES / "github-oidc-role" / "examples" / "basic"
    wc = prepare(example, tmp_path, real_provider_source, endpoint_url=fresh_moto.url)
    with applied(wc) as outputs:
        name = outputs["role_arn"].rsplit("/", 1)[-1]
        assert name == "example-project-github-actions"
        role = iam.get_role(RoleName=name)["Role"]
        raw: Any = role["AssumeRolePolicyDocument"]
        trust: dict[str, Any] = json.loads(raw) if isinstance(raw, str) else dict(raw)
        (statement,) = trust["Statement"]
        assert statement["Principal"] == {"Federated": provider}
        assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert statement["Condition"] == {
            "StringEquals": {
                f"{HOST}:aud": "sts.amazonaws.com",
                f"{HOST}:sub": [
                    "repo:ml-team/example-project-modelbuild:ref:refs/heads/main",
                    "repo:ml-team/example-project-modeldeploy:environment:prod",
                    "repo:ml-team/example-project-modeldeploy:ref:refs/heads/main",
                ],
            }
        }
        assert outputs["subjects"] == statement["Condition"]["StringEquals"][f"{HOST}:sub"]
        assert iam.list_role_policies(RoleName=name)["PolicyNames"] == ["deploy"]
    assert [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"] == name] == []
