"""`mlops-templates upload` against moto: content-addressed keys, idempotence, no overwrite, retries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from mlops_templates import packaging
from mlops_templates.cli import main
from mlops_templates.errors import AwsError, ConfigError, PackagingError
from mlops_templates.upload import Retrier, upload
from tests.harness.paths import REPO
from tests.scripts.test_packaging import PRODUCT_YAML, synthetic_repo

REGION = "eu-west-1"
BUCKET = "catalog-artifacts"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dist")
    packaging.package(REPO, path)
    return path


@pytest.fixture
def s3(mocked_aws: None) -> Iterator[Any]:
    client = boto3.client("s3", region_name=REGION)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    client.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})  # as catalog/ does
    yield client


def no_sleep(_: float) -> None:
    return None


def manifest_keys(dist: Path) -> set[str]:
    return {a["key"] for a in json.loads((dist / "manifest.json").read_text())["artifacts"]}


def test_first_upload_puts_every_artifact_at_its_content_key(s3: Any, dist: Path) -> None:
    result = upload(s3, dist, BUCKET)
    keys = manifest_keys(dist)
    assert {a.key for a in result.uploaded} == keys and result.skipped == []
    stored = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert stored == keys | {"manifest.json"}
    assert result.manifest_updated
    index = json.loads(s3.get_object(Bucket=BUCKET, Key="manifest.json")["Body"].read())
    assert {a["key"] for a in index["artifacts"]} == keys
    for key in keys:
        head = s3.head_object(Bucket=BUCKET, Key=key)
        assert head["Metadata"]["sha256"] in key
        assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == (dist / key).read_bytes()


def test_second_upload_skips_everything(s3: Any, dist: Path) -> None:
    upload(s3, dist, BUCKET)
    versions_before = s3.list_object_versions(Bucket=BUCKET).get("Versions", [])
    again = upload(s3, dist, BUCKET)
    assert again.uploaded == [] and {a.key for a in again.skipped} == manifest_keys(dist)
    assert s3.list_object_versions(Bucket=BUCKET).get("Versions", []) == versions_before


def test_object_with_another_digest_is_never_overwritten(s3: Any, dist: Path) -> None:
    key = sorted(manifest_keys(dist))[0]
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"tampered", Metadata={"sha256": "0" * 64})
    with pytest.raises(PackagingError, match="refusing to overwrite a published artifact"):
        upload(s3, dist, BUCKET)
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"tampered"


def test_published_version_with_other_content_is_refused(s3: Any, dist: Path) -> None:
    manifest = json.loads((dist / "manifest.json").read_text())
    (product,) = [a for a in manifest["artifacts"] if a["kind"] == "products"]
    other = product["key"].rsplit("/", 1)[0] + "/" + "f" * 64 + ".tar.gz"
    s3.put_object(Bucket=BUCKET, Key=other, Body=b"older", Metadata={"sha256": "f" * 64})
    with pytest.raises(PackagingError, match=r"version 1\.0\.0 is already published with other content"):
        upload(s3, dist, BUCKET)
    assert s3.head_object(Bucket=BUCKET, Key=other)["Metadata"]["sha256"] == "f" * 64


def test_throttling_is_retried_with_backoff(s3: Any, dist: Path) -> None:
    failures = {"left": 2}

    def throttle(**_: Any) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise ClientError(
                {"Error": {"Code": "SlowDown", "Message": "Please reduce your request rate."}}, "PutObject"
            )

    s3.meta.events.register("before-call.s3.PutObject", throttle)
    delays: list[float] = []
    result = upload(s3, dist, BUCKET, retrier=Retrier(base_delay=0.25, sleep=delays.append))
    assert result.retries == 2 and delays == [0.25, 0.5]
    assert {a.key for a in result.uploaded} == manifest_keys(dist)


def test_persistent_throttling_gives_up_with_the_bucket_named(s3: Any, dist: Path) -> None:
    def throttle(**_: Any) -> None:
        raise ClientError({"Error": {"Code": "SlowDown", "Message": "slow down"}}, "PutObject")

    s3.meta.events.register("before-call.s3.PutObject", throttle)
    with pytest.raises(AwsError, match=f"S3 bucket {BUCKET}: SlowDown"):
        upload(s3, dist, BUCKET, retrier=Retrier(attempts=3, sleep=no_sleep))


def test_access_denied_is_not_retried(s3: Any, dist: Path) -> None:
    calls = {"n": 0}

    def deny(**_: Any) -> None:
        calls["n"] += 1
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "denied"}}, "PutObject")

    s3.meta.events.register("before-call.s3.PutObject", deny)
    with pytest.raises(AwsError, match="AccessDenied"):
        upload(s3, dist, BUCKET, retrier=Retrier(sleep=no_sleep))
    assert calls["n"] == 1


def test_missing_manifest_is_reported(s3: Any, tmp_path: Path) -> None:
    with pytest.raises(PackagingError, match="run `mlops-templates package` first"):
        upload(s3, tmp_path, BUCKET)


def test_corrupted_artifact_is_refused(s3: Any, dist: Path, tmp_path: Path) -> None:
    copy = tmp_path / "dist"
    packaging.package(REPO, copy)
    key = sorted(manifest_keys(copy))[0]
    (copy / key).write_bytes(b"corrupted")
    with pytest.raises(PackagingError, match="does not match the manifest"):
        upload(s3, copy, BUCKET)


def test_cli_upload_reads_the_bucket_from_ssm_and_prints_json(
    s3: Any, dist: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    boto3.client("ssm", region_name=REGION).put_parameter(
        Name="/mlops-templates/catalog-bucket-name", Value=BUCKET, Type="String"
    )
    assert main(["upload", "--dist", str(dist), "--region", REGION, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["bucket"] == BUCKET and set(report["uploaded"]) == manifest_keys(dist)
    assert main(["upload", "--dist", str(dist), "--region", REGION, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["uploaded"] == []


def test_cli_upload_without_bucket_or_parameter_fails_clearly(
    s3: Any, dist: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["upload", "--dist", str(dist), "--region", REGION]) == AwsError.exit_code
    assert "/mlops-templates/catalog-bucket-name cannot be read" in capsys.readouterr().err


def test_published_versions_come_back_to_a_fresh_dist(s3: Any, tmp_path: Path) -> None:
    """A CI runner packages only the current version; upload restores every published one into its manifest."""
    repo = synthetic_repo(tmp_path / "repo")
    packaging.package(repo, tmp_path / "first")
    upload(s3, tmp_path / "first", BUCKET)
    (repo / "products" / "demo" / "main.tf").write_text('module "a" {\n  source = "./modules/a"\n}\n# 1.1.0\n')
    (repo / "products" / "demo" / "product.yaml").write_text(
        PRODUCT_YAML.replace("1.0.0", "1.1.0") + "deprecated_versions: [1.0.0]\n"
    )
    fresh = tmp_path / "fresh"
    packaging.package(repo, fresh)
    assert set(json.loads((fresh / "manifest.json").read_text())["products"]["demo"]["versions"]) == {"1.1.0"}
    result = upload(s3, fresh, BUCKET)
    assert result.published_versions == {"demo": ["1.0.0", "1.1.0"]}
    for manifest in (
        json.loads((fresh / "manifest.json").read_text()),
        json.loads(s3.get_object(Bucket=BUCKET, Key="manifest.json")["Body"].read()),
    ):
        versions = manifest["products"]["demo"]["versions"]
        assert {v: d["guidance"] for v, d in versions.items()} == {"1.0.0": "DEPRECATED", "1.1.0": "DEFAULT"}
        assert manifest["products"]["demo"]["initial_version"] == "1.0.0"
    assert len(s3.list_object_versions(Bucket=BUCKET, Prefix="manifest.json")["Versions"]) == 2


def test_version_published_with_other_content_in_the_index_is_refused(s3: Any, dist: Path) -> None:
    index = json.loads((dist / "manifest.json").read_text())
    for artifact in index["artifacts"]:
        artifact["sha256"] = "e" * 64
    s3.put_object(Bucket=BUCKET, Key="manifest.json", Body=json.dumps(index).encode())
    with pytest.raises(PackagingError, match=r"version 1\.0\.0 is already published with other content"):
        upload(s3, dist, BUCKET)
    assert [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]] == ["manifest.json"]


def test_corrupt_index_is_reported_with_its_location(s3: Any, dist: Path) -> None:
    s3.put_object(Bucket=BUCKET, Key="manifest.json", Body=b"{broken")
    with pytest.raises(ConfigError, match=f"s3://{BUCKET}/manifest.json: not a valid manifest"):
        upload(s3, dist, BUCKET)
