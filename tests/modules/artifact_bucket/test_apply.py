"""Apply the artifact-bucket example against moto with the real provider, check the bucket, destroy it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from mlops_templates.toolchain import ProviderSource
from tests.harness.moto import MotoServer
from tests.harness.paths import MODULES
from tests.harness.terraform import REGION, applied, prepare


@pytest.mark.slow
def test_example_applies_and_destroys(
    real_provider_source: ProviderSource, fresh_moto: MotoServer, tmp_path: Path
) -> None:
    wc = prepare(
        MODULES / "artifact-bucket" / "examples" / "basic", tmp_path, real_provider_source, endpoint_url=fresh_moto.url
    )
    s3 = fresh_moto.client("s3", REGION)
    with applied(wc, {"force_destroy": "true"}) as outputs:
        bucket = outputs["bucket_name"]
        assert bucket == "example-project-artifacts-123456789012-eu-west-1"
        assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
        rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
        assert rule["ApplyServerSideEncryptionByDefault"] == {
            "SSEAlgorithm": "aws:kms",
            "KMSMasterKeyID": outputs["kms_key_arn"],
        }
        assert rule["BucketKeyEnabled"] is True
        block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        assert all(block.values()) and len(block) == 4
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
        assert [s["Sid"] for s in policy["Statement"]] == [
            "DenyInsecureTransport",
            "DenyOtherEncryptionAlgorithms",
            "DenyOtherKmsKeys",
        ]
        lifecycle = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
        assert [(r["ID"], r["NoncurrentVersionExpiration"]["NoncurrentDays"]) for r in lifecycle] == [("default", 90)]
        tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]}
        assert tags["sagemaker:project-name"] == "example-project"
        # The emulator is reached over plain HTTP: the TLS-only policy must refuse the upload.
        with pytest.raises(ClientError, match=r"PutObject operation: (Forbidden|Access Denied)"):
            s3.put_object(Bucket=bucket, Key="models/model.tar.gz", Body=b"model")
    with pytest.raises(ClientError, match=r"HeadBucket operation: Not Found"):
        s3.head_bucket(Bucket=bucket)
