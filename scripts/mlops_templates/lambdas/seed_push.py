"""Seed-push function: copies a seed-code zip from S3 into an empty CodeCommit branch.

Invoked once per repository by ``aws_lambda_invocation`` in ``modules/code-repository`` with the event::

    {"repository_name": "...", "branch": "main", "seed_bucket": "...", "seed_key": "...",
     "commit_message": "...", "author_name": "...", "author_email": "..."}

Behaviour:

* idempotent: when the branch already exists (has commits) nothing is written and ``status`` is ``skipped``;
* the zip is committed with ``CreateCommit`` in batches that respect the CodeCommit quotas (100 files and
  6 MB of content per commit, 6 MB per file); the first commit creates the branch;
* failures raise :class:`SeedPushError` with a message naming the repository, the S3 object or the file at
  fault, so ``terraform apply`` shows why provisioning stopped.

Only the standard library and boto3 are imported: this file is the whole Lambda package.
"""

from __future__ import annotations

import io
import logging
import posixpath
import stat
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import ClientError

# The function's version (`mlops-templates package` reads it): bump it with every change to this file.
__version__ = "1.0.0"

LOG = logging.getLogger(__name__)
LOG.setLevel(logging.INFO)

MAX_FILES_PER_COMMIT = 100
MAX_BYTES_PER_COMMIT = 6 * 1024 * 1024
MAX_BYTES_PER_FILE = 6 * 1024 * 1024
MAX_ZIP_BYTES = 512 * 1024 * 1024

REQUIRED_KEYS = ("repository_name", "branch", "seed_bucket", "seed_key")
DEFAULTS = {
    "commit_message": "Initial commit: seed code",
    "author_name": "mlops-templates",
    "author_email": "mlops-templates@noreply.local",
}


class SeedPushError(Exception):
    """The seed code could not be pushed; the message names the repository, object or file at fault."""


@dataclass(frozen=True)
class SeedRequest:
    """A validated invocation event."""

    repository_name: str
    branch: str
    seed_bucket: str
    seed_key: str
    commit_message: str
    author_name: str
    author_email: str

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> SeedRequest:
        if not isinstance(event, Mapping):
            raise SeedPushError(f"event must be a JSON object, got {type(event).__name__}")
        missing = [key for key in REQUIRED_KEYS if not isinstance(event.get(key), str) or not event[key]]
        if missing:
            raise SeedPushError(f"event is missing required string field(s): {', '.join(missing)}")
        values = {key: event[key] for key in REQUIRED_KEYS}
        for key, default in DEFAULTS.items():
            value = event.get(key)
            values[key] = value if isinstance(value, str) and value else default
        return cls(**values)

    @property
    def location(self) -> str:
        return f"s3://{self.seed_bucket}/{self.seed_key}"


@dataclass(frozen=True)
class SeedFile:
    """One file of the seed zip."""

    path: str
    content: bytes
    executable: bool


def read_seed_files(data: bytes, location: str) -> list[SeedFile]:
    """Return the regular files of a seed zip, sorted by path; refuses unsafe or oversized entries."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise SeedPushError(f"{location} is not a zip file: {exc}") from exc
    files: list[SeedFile] = []
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            path = info.filename
            normalised = posixpath.normpath(path)
            if path.startswith("/") or normalised.startswith("..") or "\\" in path:
                raise SeedPushError(f"{location}: unsafe path in zip: {path!r}")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise SeedPushError(f"{location}: symbolic links cannot be pushed with CreateCommit: {path!r}")
            if info.file_size > MAX_BYTES_PER_FILE:
                raise SeedPushError(
                    f"{location}: {path} is {info.file_size} bytes; CodeCommit accepts at most "
                    f"{MAX_BYTES_PER_FILE} bytes per file through CreateCommit"
                )
            executable = bool(mode & stat.S_IXUSR)
            files.append(SeedFile(path=normalised, content=archive.read(info), executable=executable))
    if not files:
        raise SeedPushError(f"{location} holds no files")
    return sorted(files, key=lambda item: item.path)


def batches(files: list[SeedFile]) -> Iterator[list[SeedFile]]:
    """Split files into commits within the CodeCommit per-commit quotas, keeping path order."""
    batch: list[SeedFile] = []
    size = 0
    for item in files:
        if batch and (len(batch) >= MAX_FILES_PER_COMMIT or size + len(item.content) > MAX_BYTES_PER_COMMIT):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += len(item.content)
    if batch:
        yield batch


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def existing_head(codecommit: Any, request: SeedRequest) -> str | None:
    """The commit the branch points at, or None when the branch does not exist (an empty repository)."""
    try:
        codecommit.get_repository(repositoryName=request.repository_name)
    except ClientError as exc:
        if _error_code(exc) == "RepositoryDoesNotExistException":
            raise SeedPushError(f"repository {request.repository_name} does not exist") from exc
        raise
    try:
        response = codecommit.get_branch(repositoryName=request.repository_name, branchName=request.branch)
    except ClientError as exc:
        if _error_code(exc) == "BranchDoesNotExistException":
            return None
        raise
    commit_id = response.get("branch", {}).get("commitId")
    return str(commit_id) if commit_id else None


def download(s3: Any, request: SeedRequest) -> bytes:
    """The seed zip's bytes; a clear error when it is missing or too large."""
    try:
        response = s3.get_object(Bucket=request.seed_bucket, Key=request.seed_key)
    except ClientError as exc:
        if _error_code(exc) in {"NoSuchKey", "NoSuchBucket", "404", "AccessDenied"}:
            raise SeedPushError(
                f"seed code {request.location} cannot be read ({_error_code(exc)}): "
                "was it uploaded with `mlops-templates upload`?"
            ) from exc
        raise
    if int(response.get("ContentLength", 0)) > MAX_ZIP_BYTES:
        raise SeedPushError(f"seed code {request.location} is larger than {MAX_ZIP_BYTES} bytes")
    return bytes(response["Body"].read())


def push(codecommit: Any, s3: Any, event: Mapping[str, Any]) -> dict[str, Any]:
    """Push the seed zip named by ``event`` into its repository; returns a summary of what was done."""
    request = SeedRequest.from_event(event)
    head = existing_head(codecommit, request)
    if head is not None:
        LOG.info("branch %s of %s already at %s: nothing to do", request.branch, request.repository_name, head)
        return {
            "status": "skipped",
            "repository_name": request.repository_name,
            "branch": request.branch,
            "commit_id": head,
            "commits": [],
            "files": 0,
        }
    files = read_seed_files(download(s3, request), request.location)
    parent: str | None = None
    commits: list[str] = []
    parts = list(batches(files))
    for number, part in enumerate(parts, start=1):
        message = request.commit_message if len(parts) == 1 else f"{request.commit_message} ({number}/{len(parts)})"
        kwargs: dict[str, Any] = {
            "repositoryName": request.repository_name,
            "branchName": request.branch,
            "authorName": request.author_name,
            "email": request.author_email,
            "commitMessage": message,
            "putFiles": [
                {
                    "filePath": item.path,
                    "fileContent": item.content,
                    "fileMode": "EXECUTABLE" if item.executable else "NORMAL",
                }
                for item in part
            ],
        }
        if parent is not None:
            kwargs["parentCommitId"] = parent
        try:
            response = codecommit.create_commit(**kwargs)
        except ClientError as exc:
            raise SeedPushError(
                f"CreateCommit {number}/{len(parts)} into {request.repository_name}:{request.branch} failed "
                f"({_error_code(exc)}): {exc}"
            ) from exc
        parent = str(response["commitId"])
        commits.append(parent)
    LOG.info(
        "pushed %d file(s) from %s to %s:%s", len(files), request.location, request.repository_name, request.branch
    )
    return {
        "status": "pushed",
        "repository_name": request.repository_name,
        "branch": request.branch,
        "commit_id": parent,
        "commits": commits,
        "files": len(files),
    }


def handler(event: Mapping[str, Any], context: object) -> dict[str, Any]:
    """Lambda entry point (``seed_push.handler``)."""
    del context
    return push(boto3.client("codecommit"), boto3.client("s3"), event)
