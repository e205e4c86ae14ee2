"""`mlops-templates upload` against moto: content-addressed keys, idempotence, no overwrite, one retry layer
(botocore's), a conditional index update that two uploads at once cannot lose."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.config
import pytest
from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders
from botocore.exceptions import ClientError

from mlops_templates import packaging
from mlops_templates.cli import main
from mlops_templates.emulator import MotoServer
from mlops_templates.errors import AwsError, ConfigError, PackagingError
from mlops_templates.upload import upload
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


class _Raw:
    """The body of a canned HTTP response."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


def s3_error_response(status: int, code: str) -> AWSResponse:
    body = f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>m</Message></Error>'
    return AWSResponse("https://s3.example", status, HTTPHeaders(), _Raw(body.encode()))


def client_with(server: MotoServer, attempts: int) -> Any:
    """An S3 client of the moto server, configured as the CLI configures its clients but with ``attempts`` attempts,
    and a catalog bucket. (The server, not the in-process mock: a canned response from a before-send hook must
    mean that the request never reached S3.)"""
    config = botocore.config.Config(retries={"mode": "standard", "total_max_attempts": attempts})
    s3 = boto3.client(
        "s3",
        endpoint_url=server.url,
        region_name=REGION,
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=config,
    )
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    return s3


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
    artifacts = {a["key"]: a for a in index["artifacts"]}
    for key in keys:
        head = s3.head_object(Bucket=BUCKET, Key=key)
        assert head["Metadata"]["sha256"] == artifacts[key]["sha256"]
        assert artifacts[key]["content_digest"] in key
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
    (product,) = [a for a in manifest["artifacts"] if a["kind"] == "products" and a["name"] == "build-train-deploy"]
    other = product["key"].rsplit("/", 1)[0] + "/" + "f" * 64 + ".tar.gz"
    s3.put_object(Bucket=BUCKET, Key=other, Body=b"older", Metadata={"sha256": "f" * 64})
    with pytest.raises(
        PackagingError,
        match=rf"version {re.escape(product['version'])} is already published with other content .*: a published "
        r"version is immutable; "
        r"bump the version in products/build-train-deploy/product\.yaml",
    ):
        upload(s3, dist, BUCKET)
    assert s3.head_object(Bucket=BUCKET, Key=other)["Metadata"]["sha256"] == "f" * 64


def test_transient_errors_are_retried_by_botocore_alone(dist: Path, fresh_moto: MotoServer) -> None:
    s3 = client_with(fresh_moto, attempts=3)
    sends = {"PutObject": 0}

    def fail_twice(**_: Any) -> AWSResponse | None:
        sends["PutObject"] += 1
        return s3_error_response(500, "InternalError") if sends["PutObject"] <= 2 else None

    s3.meta.events.register("before-send.s3.PutObject", fail_twice)
    result = upload(s3, dist, BUCKET)
    assert result.retries == 2
    assert {a.key for a in result.uploaded} == manifest_keys(dist)


def test_persistent_errors_give_up_after_the_client_s_attempts(dist: Path, fresh_moto: MotoServer) -> None:
    """One retry layer: a client allowed 3 attempts sends a failing PutObject 3 times, not 3 x 5."""
    s3 = client_with(fresh_moto, attempts=3)
    sends = {"n": 0}

    def always_fail(**_: Any) -> AWSResponse:
        sends["n"] += 1
        return s3_error_response(503, "SlowDown")

    s3.meta.events.register("before-send.s3.PutObject", always_fail)
    with pytest.raises(AwsError, match=f"S3 bucket {BUCKET}: SlowDown"):
        upload(s3, dist, BUCKET)
    assert sends["n"] == 3


def test_access_denied_is_not_retried(dist: Path, fresh_moto: MotoServer) -> None:
    s3 = client_with(fresh_moto, attempts=5)
    sends = {"n": 0}

    def deny(**_: Any) -> AWSResponse:
        sends["n"] += 1
        return s3_error_response(403, "AccessDenied")

    s3.meta.events.register("before-send.s3.PutObject", deny)
    with pytest.raises(AwsError, match="AccessDenied"):
        upload(s3, dist, BUCKET)
    assert sends["n"] == 1


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


BUMP_PRODUCT = r"bump the version in products/build-train(-deploy(-git|-anygit|-github-actions)?)?/product\.yaml"


@pytest.mark.parametrize(
    ("kind", "hint"),
    [
        (
            "lambdas",
            r"bump __version__ in \S*mlops_templates/lambdas/"
            r"(branch_pipelines|git_seed|git_webhook|seed_push|project_teardown)\.py",
        ),
        ("seed", BUMP_PRODUCT),
        ("products", BUMP_PRODUCT),
    ],
)
def test_version_published_with_other_content_in_the_index_is_refused(
    s3: Any, dist: Path, kind: str, hint: str
) -> None:
    index = json.loads((dist / "manifest.json").read_text())
    for artifact in index["artifacts"]:
        if artifact["kind"] == kind:
            artifact["sha256"] = artifact["content_digest"] = "e" * 64
    s3.put_object(Bucket=BUCKET, Key="manifest.json", Body=json.dumps(index).encode())
    with pytest.raises(
        PackagingError, match=rf"{kind} \S+ version \S+ is already published with other content .*{hint}"
    ):
        upload(s3, dist, BUCKET)
    assert [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]] == ["manifest.json"]


def test_corrupt_index_is_reported_with_its_location(s3: Any, dist: Path) -> None:
    s3.put_object(Bucket=BUCKET, Key="manifest.json", Body=b"{broken")
    with pytest.raises(ConfigError, match=f"s3://{BUCKET}/manifest.json: not a valid manifest"):
        upload(s3, dist, BUCKET)


# --- an object already in the bucket is checked, whatever its metadata (issue 8, finding 11) ---------------------


def test_object_without_sha_metadata_and_other_bytes_is_refused(s3: Any, dist: Path) -> None:
    key = sorted(manifest_keys(dist))[0]
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"not the artifact")
    with pytest.raises(PackagingError, match=f"s3://{BUCKET}/{key} holds other content"):
        upload(s3, dist, BUCKET)
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"not the artifact"


def test_object_without_sha_metadata_and_the_same_bytes_is_accepted(s3: Any, dist: Path) -> None:
    key = sorted(manifest_keys(dist))[0]
    s3.put_object(Bucket=BUCKET, Key=key, Body=(dist / key).read_bytes())
    result = upload(s3, dist, BUCKET)
    assert key in {a.key for a in result.skipped}


# --- other archive bytes for the same content (issue 8, finding 6) -----------------------------------------------


def test_same_sources_packaged_under_another_epoch_upload_without_conflict(
    s3: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI runner with another SOURCE_DATE_EPOCH (or zlib) builds other bytes for the same files: no "bump the
    version", nothing uploaded, and its manifest comes back describing the published archives."""
    repo = synthetic_repo(tmp_path / "repo")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    packaging.package(repo, tmp_path / "first")
    upload(s3, tmp_path / "first", BUCKET)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    packaging.package(repo, tmp_path / "other")
    assert read_sha256s(tmp_path / "other") != read_sha256s(tmp_path / "first")
    versions_before = s3.list_object_versions(Bucket=BUCKET)["Versions"]
    result = upload(s3, tmp_path / "other", BUCKET)
    assert result.uploaded == [] and not result.manifest_updated
    assert s3.list_object_versions(Bucket=BUCKET)["Versions"] == versions_before
    assert read_sha256s(tmp_path / "other") == read_sha256s(tmp_path / "first")


def read_sha256s(dist: Path) -> dict[str, str]:
    return {a["key"]: a["sha256"] for a in json.loads((dist / "manifest.json").read_text())["artifacts"]}


# --- two uploads at once (issue 8, finding 7) -----------------------------------------------------------------


def two_versions(tmp_path: Path) -> tuple[Path, Path]:
    """dist/ folders of version 1.0.0 and 1.1.0 of the synthetic product, packaged separately (as two CI runs)."""
    repo = synthetic_repo(tmp_path / "repo")
    packaging.package(repo, tmp_path / "v1")
    (repo / "products" / "demo" / "main.tf").write_text('module "a" {\n  source = "./modules/a"\n}\n# 1.1.0\n')
    (repo / "products" / "demo" / "product.yaml").write_text(PRODUCT_YAML.replace("1.0.0", "1.1.0"))
    packaging.package(repo, tmp_path / "v2")
    return tmp_path / "v1", tmp_path / "v2"


def index_versions(s3: Any) -> dict[str, set[str]]:
    index = json.loads(s3.get_object(Bucket=BUCKET, Key="manifest.json")["Body"].read())
    artifacts = {(a["kind"], a["version"]) for a in index["artifacts"]}
    # The product's own artifacts (its tar.gz and seed zips); the Lambdas carry versions of their own.
    return {
        "products": set(index["products"]["demo"]["versions"]),
        "artifacts": {v for k, v in artifacts if k != "lambdas"},
    }


@pytest.mark.parametrize("first", ["index absent", "index present"])
def test_index_written_by_another_upload_meanwhile_is_merged_not_lost(s3: Any, tmp_path: Path, first: str) -> None:
    """Another upload writes the index between this upload's read and its write: S3 refuses the stale write (412),
    this upload re-reads, merges and writes both versions."""
    v1, v2 = two_versions(tmp_path)
    if first == "index present":
        s3.put_object(
            Bucket=BUCKET, Key="manifest.json", Body=b'{"format_version": 1, "artifacts": [], "products": {}}'
        )
    other = boto3.client("s3", region_name=REGION)
    state = {"raced": False}

    def other_upload_first(params: dict[str, Any], **_: Any) -> None:
        if params.get("Key") == "manifest.json" and not state["raced"]:
            state["raced"] = True
            upload(other, v2, BUCKET)

    s3.meta.events.register("before-parameter-build.s3.PutObject", other_upload_first)
    result = upload(s3, v1, BUCKET)
    assert state["raced"] and result.manifest_updated
    assert index_versions(s3) == {"products": {"1.0.0", "1.1.0"}, "artifacts": {"1.0.0", "1.1.0"}}
    assert set(result.published_versions["demo"]) == {"1.0.0", "1.1.0"}


def test_two_uploads_at_once_against_the_moto_server_both_land(fresh_moto: MotoServer, tmp_path: Path) -> None:
    """Two threads, two clients, one moto server: both read the index before either writes it."""
    v1, v2 = two_versions(tmp_path)
    setup = fresh_moto.client("s3", REGION)
    setup.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    setup.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    both_read = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def run(dist: Path) -> None:
        client = fresh_moto.client("s3", REGION)
        reads = {"n": 0}

        def mark(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
            context["index"] = params.get("Key") == "manifest.json"

        def wait_for_the_other(context: dict[str, Any], **_: Any) -> None:
            if context.get("index") and reads["n"] == 0:
                reads["n"] += 1
                both_read.wait()

        client.meta.events.register("before-parameter-build.s3.GetObject", mark)
        client.meta.events.register("after-call.s3.GetObject", wait_for_the_other)
        try:
            upload(client, dist, BUCKET)
        except BaseException as err:  # reported by the main thread
            errors.append(err)

    threads = [threading.Thread(target=run, args=(dist,)) for dist in (v1, v2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert index_versions(setup) == {"products": {"1.0.0", "1.1.0"}, "artifacts": {"1.0.0", "1.1.0"}}


def test_conditional_request_conflict_is_retried(s3: Any, dist: Path) -> None:
    state = {"left": 1}

    def conflict(params: dict[str, Any], **_: Any) -> None:
        if params.get("Key") == "manifest.json" and state["left"]:
            state["left"] -= 1
            raise ClientError({"Error": {"Code": "ConditionalRequestConflict", "Message": "m"}}, "PutObject")

    s3.meta.events.register("before-parameter-build.s3.PutObject", conflict)
    assert upload(s3, dist, BUCKET).manifest_updated and state["left"] == 0
    assert {a["key"] for a in json.loads(s3.get_object(Bucket=BUCKET, Key="manifest.json")["Body"].read())[
        "artifacts"]} == manifest_keys(dist)  # fmt: skip


def test_an_index_that_keeps_changing_gives_up_clearly(s3: Any, dist: Path) -> None:
    def always(params: dict[str, Any], **_: Any) -> None:
        if params.get("Key") == "manifest.json":
            raise ClientError({"Error": {"Code": "PreconditionFailed", "Message": "m"}}, "PutObject")

    s3.meta.events.register("before-parameter-build.s3.PutObject", always)
    with pytest.raises(AwsError, match=f"s3://{BUCKET}/manifest.json changed .* times while this upload"):
        upload(s3, dist, BUCKET)
