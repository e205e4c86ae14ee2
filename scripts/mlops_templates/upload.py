"""`mlops-templates upload`: put the packaged artifacts into the catalog bucket, idempotently.

Every artifact goes to its content-addressed key (``<kind>/<name>/<version>/<content digest>.<ext>``, the same path it
has under ``dist/``), written only if the key is free (``If-None-Match: *``): no artifact is ever overwritten or
deleted. An object already at the key is downloaded and checked, whatever its metadata: the same bytes, or an archive
of the same files (other timestamps or compression, see :func:`mlops_templates.packaging.content_digest`), is kept and
the manifest then describes the bytes the bucket holds; anything else is refused, naming the key. A version that
already holds an object under another key is refused: published versions are immutable.

Retries are botocore's alone: the caller configures them on the client it passes in (the CLI's clients use
``mlops_templates.aws.CLIENT_CONFIG``: standard mode with ``max_attempts`` 5, i.e. up to 5 retries after the first
call, for throttling, 5xx and connection errors, with jittered exponential backoff). :attr:`UploadResult.retries`
counts the retries botocore made.

The bucket also keeps the catalog's index, ``manifest.json``: every version ever published. An upload merges it
with the local manifest (refusing a version published with other content), writes the union back to
``dist/manifest.json`` (so ``terraform -chdir=catalog apply`` sees every published version even from a fresh
checkout, e.g. a CI runner) and, when it changed, to the bucket, after the artifacts. That write is conditional on the
index being the one read (``If-Match`` on its ETag, ``If-None-Match: *`` when there was none): when another upload
wrote it meanwhile, S3 refuses (412 PreconditionFailed, or 409 ConditionalRequestConflict), and the upload re-reads,
re-merges and tries again, a bounded number of times. Two uploads at once therefore both end up in the index. It is
the one object an upload replaces; the bucket's versioning keeps the earlier ones.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from mlops_templates.aws import error_code
from mlops_templates.errors import AwsError, PackagingError
from mlops_templates.packaging import (
    MANIFEST_NAME,
    Artifact,
    adopt,
    archive_content_digest,
    archive_ext,
    bump_hint,
    dump_manifest,
    iter_files,
    manifest_artifacts,
    merge_manifests,
    parse_manifest,
    read_manifest,
    seed_code_sets_using,
    seed_users,
    semver_key,
)

CONTENT_TYPES = {".zip": "application/zip", ".gz": "application/gzip", ".json": "application/json"}
SHA_METADATA = "sha256"
CONTENT_DIGEST_METADATA = "content-digest"
# What S3 answers a conditional write whose condition no longer holds (or that raced another conditional write).
CONFLICT_CODES = frozenset({"PreconditionFailed", "ConditionalRequestConflict", "412", "409"})
INDEX_ATTEMPTS = 5
NOT_FOUND_CODES = frozenset({"404", "NoSuchKey", "NotFound"})

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
class _Bucket:
    """The S3 calls of an upload, counting botocore's retries."""

    s3: Any
    name: str
    retries: int = 0

    def call(self, method: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response: dict[str, Any] = getattr(self.s3, method)(Bucket=self.name, **kwargs)
        except ClientError as err:
            self.retries += int(err.response.get("ResponseMetadata", {}).get("RetryAttempts", 0))
            raise
        self.retries += int(response.get("ResponseMetadata", {}).get("RetryAttempts", 0))
        return response

    def get(self, key: str) -> tuple[bytes, str] | None:
        """An object's bytes and ETag, None when there is none."""
        try:
            response = self.call("get_object", Key=key)
        except ClientError as err:
            if error_code(err) in NOT_FOUND_CODES:
                return None
            raise
        return bytes(response["Body"].read()), str(response["ETag"])

    def keys(self, prefix: str) -> list[str]:
        keys: list[str] = []
        token: str | None = None
        while True:
            page = self.call("list_objects_v2", Prefix=prefix, **({"ContinuationToken": token} if token else {}))
            keys += [str(item["Key"]) for item in page.get("Contents", [])]
            token = page.get("NextContinuationToken")
            if not token:
                return keys


def upload(s3: Any, dist: Path, bucket: str, progress: Progress | None = None) -> UploadResult:
    """Upload every artifact of ``dist/manifest.json`` to ``bucket``; see the module docstring for the rules."""
    manifest_path = dist / MANIFEST_NAME
    if not manifest_path.exists():
        raise PackagingError(f"{manifest_path}: no manifest; run `mlops-templates package` first")
    local = read_manifest(manifest_path)
    target = _Bucket(s3, bucket)
    result = UploadResult(bucket=bucket)
    report = progress or (lambda artifact, state: None)
    try:
        index = _Index.read(target)
        merged = index.merge(local)  # refuses a version published with other content before any write
        published = {a.ident: a for a in manifest_artifacts(merged)}
        for artifact, path in iter_files(dist, local):
            users = seed_users(local, artifact.key)
            bump = bump_hint(artifact.kind, artifact.name, users, seed_code_sets_using(local, artifact.key))
            stored = _upload_one(target, published[artifact.ident], artifact, path, result, bump)
            report(stored, "uploaded" if stored in result.uploaded else "skipped")
            if stored != artifact:
                adopt(local, stored)
        # Artifacts first, index last: the bucket's manifest never lists a version whose artifact is missing.
        manifest = index.write(target, local, result)
    except ClientError as err:
        raise AwsError(f"S3 bucket {bucket}: {error_code(err)}: {err}") from err
    except BotoCoreError as err:
        raise AwsError(f"S3 bucket {bucket}: {err}") from err
    text = dump_manifest(manifest)
    if text != manifest_path.read_text(encoding="utf-8"):
        manifest_path.write_text(text, encoding="utf-8")
    result.retries = target.retries
    result.published_versions = {
        name: sorted(entry["versions"], key=semver_key) for name, entry in sorted(manifest["products"].items())
    }
    return result


def _upload_one(
    target: _Bucket, expected: Artifact, artifact: Artifact, path: Path, result: UploadResult, bump: str
) -> Artifact:
    """Put one artifact unless its key already holds it; the artifact as the bucket now holds it. ``bump`` says
    which file to change when the version is taken by other content."""
    stored = _stored(target, expected, artifact)
    if stored is not None:
        result.skipped.append(stored)
        return stored
    prefix = f"{artifact.kind}/{artifact.name}/{artifact.version}/"
    others = [key for key in target.keys(prefix) if key != artifact.key]
    if others:
        raise PackagingError(
            f"{artifact.kind} {artifact.name} version {artifact.version} is already published with other "
            f"content (s3://{target.name}/{others[0]}): a published version is immutable; {bump}"
        )
    if not path.is_file():
        raise PackagingError(f"{path}: listed in the manifest but missing from dist/ and from the bucket")
    data = path.read_bytes()
    _check_digest(path, data, artifact)
    try:
        target.call(
            "put_object",
            Key=artifact.key,
            Body=data,
            ContentType=CONTENT_TYPES.get(path.suffix, "application/octet-stream"),
            Metadata={SHA_METADATA: artifact.sha256, CONTENT_DIGEST_METADATA: artifact.content_digest},
            IfNoneMatch="*",
        )
    except ClientError as err:
        if error_code(err) not in CONFLICT_CODES:
            raise
        # Another upload put this key meanwhile: check what it put.
        stored = _stored(target, expected, artifact)
        if stored is None:
            raise
        result.skipped.append(stored)
        return stored
    result.uploaded.append(artifact)
    return artifact


def _stored(target: _Bucket, expected: Artifact, artifact: Artifact) -> Artifact | None:
    """The artifact the bucket holds at ``expected.key`` (None when the key is free), checked by downloading it: its
    bytes must be ``expected``'s or an archive of the same files as ``artifact``."""
    found = target.get(expected.key)
    if found is None:
        return None
    data, _ = found
    sha = hashlib.sha256(data).hexdigest()
    if sha == expected.sha256:
        return expected
    where = f"s3://{target.name}/{expected.key}"
    try:
        digest = archive_content_digest(data, archive_ext(expected.key))
    except PackagingError as err:
        digest = f"unreadable ({err})"
    if not artifact.content_digest or digest != artifact.content_digest:
        raise PackagingError(
            f"{where} holds other content (sha256 {sha}, content digest {digest}) than the manifest says "
            f"(sha256 {expected.sha256}, content digest {artifact.content_digest or 'unknown'}): "
            "refusing to overwrite a published artifact"
        )
    return dataclasses.replace(expected, sha256=sha, size=len(data), content_digest=digest)


@dataclass
class _Index:
    """The bucket's manifest.json as read: its text and ETag (both None before the first upload)."""

    text: str | None
    etag: str | None
    where: str

    @classmethod
    def read(cls, target: _Bucket) -> _Index:
        where = f"s3://{target.name}/{MANIFEST_NAME}"
        found = target.get(MANIFEST_NAME)
        if found is None:
            return cls(None, None, where)
        data, etag = found
        return cls(data.decode("utf-8", errors="replace"), etag, where)

    def merge(self, local: dict[str, Any]) -> dict[str, Any]:
        if self.text is None:
            return json.loads(json.dumps(local))  # type: ignore[no-any-return]
        return merge_manifests(parse_manifest(self.text, self.where), local)

    def write(self, target: _Bucket, local: dict[str, Any], result: UploadResult) -> dict[str, Any]:
        """Write the union of this index and ``local`` if the bucket's index is still this one; on a conflict,
        re-read, re-merge and try again. The manifest written (or found already up to date)."""
        index = self
        for attempt in range(1, INDEX_ATTEMPTS + 1):
            manifest = index.merge(local)
            text = dump_manifest(manifest)
            if text == index.text:
                return manifest
            condition = {"IfMatch": index.etag} if index.etag else {"IfNoneMatch": "*"}
            try:
                target.call(
                    "put_object",
                    Key=MANIFEST_NAME,
                    Body=text.encode(),
                    ContentType=CONTENT_TYPES[".json"],
                    **condition,
                )
            except ClientError as err:
                # NoSuchKey: the index read was deleted before the If-Match write.
                if error_code(err) not in CONFLICT_CODES | {"NoSuchKey"}:
                    raise
                time.sleep(0.05 * attempt)
                index = _Index.read(target)
                continue
            result.manifest_updated = True
            return manifest
        raise AwsError(
            f"{self.where} changed {INDEX_ATTEMPTS} times while this upload merged it (other uploads running): "
            "run the upload again; every artifact is already in the bucket"
        )


def _check_digest(path: Path, data: bytes, artifact: Artifact) -> None:
    digest = hashlib.sha256(data).hexdigest()
    if digest != artifact.sha256:
        raise PackagingError(f"{path}: sha256 {digest} does not match the manifest ({artifact.sha256}); repackage")
