"""Apply the kms-key example against moto with the real provider, check the key in the emulator, destroy it."""

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
    wc = prepare(
        MODULES / "kms-key" / "examples" / "basic", tmp_path, real_provider_source, endpoint_url=fresh_moto.url
    )
    kms = fresh_moto.client("kms", REGION)
    with applied(wc) as outputs:
        assert outputs["alias_name"] == "alias/example-project-artifacts"
        key_id = outputs["key_arn"].rsplit("/", 1)[1]
        aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases(KeyId=key_id)["Aliases"]}
        assert aliases == {"alias/example-project-artifacts": key_id}
        assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is True
        policy = json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])
        sids = [s["Sid"] for s in policy["Statement"]]
        assert sids == ["KeyAdministration", "UsageViaServices", "UsageByServicePrincipals"]
        tags = {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=key_id)["Tags"]}
        assert tags["sagemaker:project-id"] == "p-example12345"
    state = kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"]
    assert state == "PendingDeletion", f"destroy must schedule the key for deletion, it is {state}"
