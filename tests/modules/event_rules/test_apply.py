"""Apply the event-rules example against moto with the real provider: three rules, each targeting its pipeline
through the module's events role; then destroy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_templates.toolchain import ProviderSource
from tests.harness.moto import MotoServer
from tests.harness.paths import MODULES
from tests.harness.terraform import REGION, applied, prepare


@pytest.mark.slow
def test_example_applies_and_destroys(
    real_provider_source: ProviderSource, fresh_moto: MotoServer, tmp_path: Path
) -> None:
    example = MODULES / "event-rules" / "examples" / "basic"
    wc = prepare(example, tmp_path, real_provider_source, endpoint_url=fresh_moto.url)
    events = fresh_moto.client("events", REGION)
    with applied(wc) as outputs:
        names = outputs["rule_names"]
        assert sorted(names.values()) == sorted(r["Name"] for r in events.list_rules()["Rules"])
        approval = events.describe_rule(Name=names["model-approval"])
        pattern = json.loads(approval["EventPattern"])
        assert pattern["detail"]["ModelApprovalStatus"] == ["Approved", "Rejected"]
        (target,) = events.list_targets_by_rule(Rule=names["model-approval"])["Targets"]
        assert target["Arn"].endswith(":example-project-modeldeploy")
        assert ":role/" in target["RoleArn"]
    assert events.list_rules()["Rules"] == []
