"""`mlops-templates upload`: put the packaged artifacts into the catalog bucket, idempotently.

Every artifact goes to its content-addressed key (``<kind>/<name>/<version>/<sha256>.<ext>``, the same path it has
under ``dist/``). An object already there with the same sha256 is skipped; no artifact is ever overwritten or
deleted. A version that already holds an object with another sha256 is refused: published versions are immutable.
Throttling and transient errors are retried with exponential backoff.

The bucket also keeps the catalog's index, ``manifest.json``: every version ever published. An upload merges it
with the local manifest (refusing a version published with other content), writes the union back to
``dist/manifest.json`` (so ``terraform -chdir=catalog apply`` sees every published version even from a fresh
checkout, e.g. a CI runner) and, when it changed, to the bucket. It is the one object an upload replaces; the
bucket's versioning keeps the earlier ones.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from botocore.exceptions import ClientError, EndpointConnectionError

from mlops_templates.aws import error_code
from mlops_templates.errors import AwsError, PackagingError
from mlops_templates.packaging import (
    MANIFEST_NAME,
    Artifact,
    dump_manifest,
    iter_files,
    merge_manifests,
    parse_manifest,
    read_manifest,
    semver_key,
)

T = TypeVar("T")

RETRYABLE_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "SlowDown",
        "RequestTimeout",
        "RequestTimeTooSkewed",
        "InternalError",
        "ServiceUnavailable",
        "503",
        "500",
    }
)
CONTENT_TYPES = {".zip": "application/zip", ".gz": "application/gzip", ".json": "application/json"}
SHA_METADATA = "sha256"

Progress = Callable[[Artifact, str], None]


@dataclass
class UploadResult:
    """What an upload did, per artifact key."""

    bucket: str
    uploaded: list[Artifact] = field(default_factory=list)
    skipped: list[Artifact] = field(default_factory=list)
    retries: int = 0
    manifest_updated: bool = False
    published_versions: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "bucket": self.bucket,
            "uploaded": [a.key for a in self.uploaded],
            "skipped": [a.key for a in self.skipped],
            "retries": self.retries,
            "manifest_updated": self.manifest_updated,
            "published_versions": self.published_versions,
        }


@dataclass
class Retrier:
    """Calls a function, retrying throttling and transient errors with exponential backoff."""

    attempts: int = 5
    base_delay: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    retries: int = 0

    def __call__(self, what: str, call: Callable[..., T], **kwargs: Any) -> T:
        for attempt in range(1, self.attempts + 1):
            try:
                return call(**kwargs)
            except ClientError as err:
                if error_code(err) not in RETRYABLE_CODES or attempt == self.attempts:
                    raise
            except EndpointConnectionError as err:
                if attempt == self.attempts:
                    raise AwsError(f"{what}: cannot reach the S3 endpoint: {err}") from err
            self.retries += 1
            self.sleep(self.base_delay * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # pragma: no cover


def _head(s3: Any, bucket: str, key: str, retry: Retrier) -> dict[str, Any] | None:
    try:
        response: dict[str, Any] = retry(f"HEAD s3://{bucket}/{key}", s3.head_object, Bucket=bucket, Key=key)
    except ClientError as err:
        if error_code(err) in {"404", "NoSuchKey", "NotFound"}:
            return None
        raise
    return response


def _version_keys(s3: Any, bucket: str, artifact: Artifact, retry: Retrier) -> list[str]:
    prefix = f"{artifact.kind}/{artifact.name}/{artifact.version}/"
    keys: list[str] = []
    token: str | None = None
    while True:
        kwargs: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix}
        if token:
            kwargs["ContinuationToken"] = token
        page: dict[str, Any] = retry(f"LIST s3://{bucket}/{prefix}", s3.list_objects_v2, **kwargs)
        keys += [str(item["Key"]) for item in page.get("Contents", [])]
        token = page.get("NextContinuationToken")
        if not token:
            return keys


def upload(
    s3: Any,
    dist: Path,
    bucket: str,
    progress: Progress | None = None,
    retrier: Retrier | None = None,
) -> UploadResult:
    """Upload every artifact of ``dist/manifest.json`` to ``bucket``; see the module docstring for the rules."""
    manifest_path = dist / MANIFEST_NAME
    if not manifest_path.exists():
        raise PackagingError(f"{manifest_path}: no manifest; run `mlops-templates package` first")
    local = read_manifest(manifest_path)
    retry = retrier or Retrier()
    result = UploadResult(bucket=bucket)
    report = progress or (lambda artifact, state: None)
    try:
        published_text = _published_manifest(s3, bucket, retry)
        published = parse_manifest(published_text, f"s3://{bucket}/{MANIFEST_NAME}") if published_text else None
        manifest = merge_manifests(published, local) if published else local
        for artifact, path in iter_files(dist, local):
            existing = _head(s3, bucket, artifact.key, retry)
            if existing is not None:
                stored = existing.get("Metadata", {}).get(SHA_METADATA)
                if stored not in (None, artifact.sha256):
                    raise PackagingError(
                        f"s3://{bucket}/{artifact.key} holds sha256 {stored}, the manifest says {artifact.sha256}: "
                        "refusing to overwrite a published artifact"
                    )
                result.skipped.append(artifact)
                report(artifact, "skipped")
                continue
            others = [key for key in _version_keys(s3, bucket, artifact, retry) if key != artifact.key]
            if others:
                raise PackagingError(
                    f"{artifact.kind} {artifact.name} version {artifact.version} is already published with other "
                    f"content (s3://{bucket}/{others[0]}): a published version is immutable; bump the version"
                )
            if not path.is_file():
                raise PackagingError(f"{path}: listed in the manifest but missing from dist/ and from the bucket")
            data = path.read_bytes()
            _check_digest(path, data, artifact)
            retry(
                f"PUT s3://{bucket}/{artifact.key}",
                s3.put_object,
                Bucket=bucket,
                Key=artifact.key,
                Body=data,
                ContentType=CONTENT_TYPES.get(path.suffix, "application/octet-stream"),
                Metadata={SHA_METADATA: artifact.sha256},
            )
            result.uploaded.append(artifact)
            report(artifact, "uploaded")
        # Artifacts first, index last: the bucket's manifest never lists a version whose artifact is missing.
        text = dump_manifest(manifest)
        if text != published_text:
            retry(
                f"PUT s3://{bucket}/{MANIFEST_NAME}",
                s3.put_object,
                Bucket=bucket,
                Key=MANIFEST_NAME,
                Body=text.encode(),
                ContentType=CONTENT_TYPES[".json"],
            )
            result.manifest_updated = True
    except ClientError as err:
        raise AwsError(f"S3 bucket {bucket}: {error_code(err)}: {err}") from err
    if text != manifest_path.read_text(encoding="utf-8"):
        manifest_path.write_text(text, encoding="utf-8")
    result.retries = retry.retries
    result.published_versions = {
        name: sorted(entry["versions"], key=semver_key) for name, entry in sorted(manifest["products"].items())
    }
    return result


def _published_manifest(s3: Any, bucket: str, retry: Retrier) -> str | None:
    """The text of the bucket's manifest.json, or None before the first upload."""
    try:
        response = retry(f"GET s3://{bucket}/{MANIFEST_NAME}", s3.get_object, Bucket=bucket, Key=MANIFEST_NAME)
    except ClientError as err:
        if error_code(err) in {"NoSuchKey", "404"}:
            return None
        raise
    return str(response["Body"].read().decode("utf-8"))


def _check_digest(path: Path, data: bytes, artifact: Artifact) -> None:
    digest = hashlib.sha256(data).hexdigest()
    if digest != artifact.sha256:
        raise PackagingError(f"{path}: sha256 {digest} does not match the manifest ({artifact.sha256}); repackage")
