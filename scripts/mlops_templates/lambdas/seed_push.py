"""Seed-push function: copies a seed-code zip from S3 into a project's CodeCommit branch, resumably.

Invoked once per repository by ``aws_lambda_invocation`` in ``modules/code-repository`` with the event::

    {"repository_name": "...", "branch": "main", "seed_bucket": "...", "seed_key": "...",
     "commit_message": "...", "author_name": "...", "author_email": "..."}

The zip is committed with ``CreateCommit`` in batches within the CodeCommit quotas (100 files and 6 MB of content
per commit, 6 MB per file). Every commit it makes carries trailers in its message::

    Seed-Code: s3://bucket/key      (the zip)
    Seed-Part: n/N                  (N/N marks the seed complete)
    Seed-Base: <commit>             (only when the branch was started from another branch's head)

What it does, by the state of the repository (CodeCommit accepts a commit without ``parentCommitId`` only in an
empty repository; elsewhere the parent must be the head of the branch, and ``CreateBranch`` needs an existing
commit, so a parentless branch cannot be added to a repository that has commits):

* empty repository: the first commit creates the branch;
* other branches but not this one: the branch is created at the head of the repository's default branch
  (``CreateBranch``) and the seed is committed on top (files already identical there are not rewritten);
* the branch's head is a seed commit marked ``N/N``: complete, nothing to do (``skipped``, reason ``complete``);
  a new product version (another seed key) therefore leaves a seeded project's code alone;
* the branch's head is a seed commit ``n/N`` with n < N (an earlier attempt failed half-way): the files those
  commits wrote are checked against the seed (same path, same blob id, same mode) and the rest is committed on
  top of the head (``resumed``); a branch whose seed files differ from this zip raises :class:`SeedPushError`
  instead of being overwritten;
* the branch's head is the default branch's head (created from it, then the first commit failed): seeded as
  above (``resumed``);
* any other head is a commit the function did not make (a data scientist's work, or a seed pushed before these
  trailers existed): left alone (``skipped``, reason ``foreign``), never overwritten. This is not an error
  because Terraform re-invokes the function on every product update.

Empty files cannot be committed through the API (``FileContentRequiredException``): they are left out, logged
and listed in the answer's ``empty_files``. Failures raise :class:`SeedPushError` with a message naming the
repository, the S3 object or the file at fault, so ``terraform apply`` shows why provisioning stopped.

Only the standard library and boto3 are imported: this file is the whole Lambda package.
"""

from __future__ import annotations

import hashlib
import io
import logging
import posixpath
import re
import stat
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import ClientError

# The function's version (`mlops-templates package` reads it): bump it with every change to this file.
__version__ = "1.1.0"

LOG = logging.getLogger(__name__)
LOG.setLevel(logging.INFO)

MAX_FILES_PER_COMMIT = 100
MAX_BYTES_PER_COMMIT = 6 * 1024 * 1024
MAX_BYTES_PER_FILE = 6 * 1024 * 1024
MAX_ZIP_BYTES = 512 * 1024 * 1024

REQUIRED_KEYS = ("repository_name", "branch", "seed_bucket", "seed_key")
TRAILER_RE = re.compile(r"^(Seed-Code|Seed-Part|Seed-Base): *(\S+) *$", re.MULTILINE)
PART_RE = re.compile(r"^([1-9][0-9]*)/([1-9][0-9]*)$")
MODE_EXECUTABLE = "100755"
MODE_NORMAL = "100644"

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

    @property
    def blob(self) -> tuple[str, str]:
        """Git's blob id and file mode of this file, as CodeCommit reports them for a committed file."""
        digest = hashlib.sha1(b"blob %d\0" % len(self.content) + self.content, usedforsecurity=False)
        return digest.hexdigest(), MODE_EXECUTABLE if self.executable else MODE_NORMAL


@dataclass(frozen=True)
class SeedCommit:
    """What the trailers of a commit made by this function say (see the module docstring)."""

    part: int
    total: int
    base: str | None

    @classmethod
    def parse(cls, message: str) -> SeedCommit | None:
        trailers = dict(TRAILER_RE.findall(message))
        match = PART_RE.match(trailers.get("Seed-Part", ""))
        if match is None:
            return None
        part, total = int(match.group(1)), int(match.group(2))
        if part > total:
            return None
        return cls(part=part, total=total, base=trailers.get("Seed-Base"))

    @property
    def complete(self) -> bool:
        return self.part == self.total


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


def default_branch(codecommit: Any, request: SeedRequest) -> str | None:
    """The repository's default branch; None for an empty repository (CodeCommit sets it with the first branch)."""
    try:
        response = codecommit.get_repository(repositoryName=request.repository_name)
    except ClientError as exc:
        if _error_code(exc) == "RepositoryDoesNotExistException":
            raise SeedPushError(f"repository {request.repository_name} does not exist") from exc
        raise
    name = response.get("repositoryMetadata", {}).get("defaultBranch")
    return str(name) if name else None


def branch_head(codecommit: Any, repository_name: str, branch: str) -> str | None:
    """The commit a branch points at, or None when the branch does not exist."""
    try:
        response = codecommit.get_branch(repositoryName=repository_name, branchName=branch)
    except ClientError as exc:
        if _error_code(exc) == "BranchDoesNotExistException":
            return None
        raise
    commit_id = response.get("branch", {}).get("commitId")
    return str(commit_id) if commit_id else None


def commit_message(codecommit: Any, repository_name: str, commit_id: str) -> str:
    response = codecommit.get_commit(repositoryName=repository_name, commitId=commit_id)
    return str(response.get("commit", {}).get("message", ""))


def changed_files(
    codecommit: Any, repository_name: str, after: str, before: str | None = None
) -> dict[str, tuple[str, str] | None]:
    """The files that differ between ``before`` and ``after`` (without ``before``: every file of ``after``), as
    path -> (blob id, mode), or path -> None for a deletion."""
    kwargs = {"repositoryName": repository_name, "afterCommitSpecifier": after}
    if before is not None:
        kwargs["beforeCommitSpecifier"] = before
    files: dict[str, tuple[str, str] | None] = {}
    for page in codecommit.get_paginator("get_differences").paginate(**kwargs):
        for difference in page.get("differences", []):
            if difference.get("changeType") == "D":
                files[str(difference["beforeBlob"]["path"])] = None
            else:
                blob = difference["afterBlob"]
                files[str(blob["path"])] = (str(blob["blobId"]), str(blob["mode"]))
    return files


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


def _result(status: str, request: SeedRequest, head: str | None, **extra: Any) -> dict[str, Any]:
    result: dict[str, Any] = {
        "status": status,
        "repository_name": request.repository_name,
        "branch": request.branch,
        "commit_id": head,
        "commits": [],
        "files": 0,
        "empty_files": [],
    }
    result.update(extra)
    return result


def _message(request: SeedRequest, part: int, total: int, base: str | None) -> str:
    title = request.commit_message if total == 1 else f"{request.commit_message} ({part}/{total})"
    lines = [title, "", f"Seed-Code: {request.location}", f"Seed-Part: {part}/{total}"]
    if base is not None:
        lines.append(f"Seed-Base: {base}")
    return "\n".join(lines) + "\n"


def _check_written(written: Mapping[str, tuple[str, str] | None], seed: Mapping[str, SeedFile], where: str) -> None:
    """Refuse to complete a branch whose seed commits wrote anything this zip does not hold."""
    for path, blob in sorted(written.items()):
        if path not in seed or blob is None:
            raise SeedPushError(f"{where}: {path} is not in the seed (or was deleted); not completing the branch")
        if blob != seed[path].blob:
            raise SeedPushError(
                f"{where}: {path} differs from the seed; the branch was partially seeded from another zip. "
                "Delete the branch (or the repository's content) and re-apply to seed it again"
            )


def push(codecommit: Any, s3: Any, event: Mapping[str, Any]) -> dict[str, Any]:
    """Push the seed zip named by ``event`` into its repository; returns a summary of what was done."""
    request = SeedRequest.from_event(event)
    repository = request.repository_name
    where = f"{repository}:{request.branch}"
    default = default_branch(codecommit, request)
    head = branch_head(codecommit, repository, request.branch)
    status = "pushed"
    done = 0  # seed parts already on the branch
    base: str | None = None  # the commit the seed is built on, when the repository had other branches
    check: tuple[str | None, str] | None = None  # (before, after) of the seed's own changes to verify
    if head is None and default is not None:
        base = branch_head(codecommit, repository, default)
        if base is None:
            raise SeedPushError(f"{repository}: default branch {default} has no head commit")
    elif head is not None:
        seeded = SeedCommit.parse(commit_message(codecommit, repository, head))
        if seeded is not None and seeded.complete:
            LOG.info("%s is seeded (head %s): nothing to do", where, head)
            return _result("skipped", request, head, reason="complete")
        if seeded is not None:
            status, done, base, check = "resumed", seeded.part, seeded.base, (seeded.base, head)
        elif default not in (None, request.branch) and head == branch_head(codecommit, repository, str(default)):
            status, base = "resumed", head
        else:
            LOG.warning("%s has commits the seed push did not make (head %s): left alone", where, head)
            return _result("skipped", request, head, reason="foreign")

    files = read_seed_files(download(s3, request), request.location)
    empty = [item.path for item in files if not item.content]
    if empty:
        LOG.warning("%s: CodeCommit cannot commit empty files, left out: %s", request.location, ", ".join(empty))
    files = [item for item in files if item.content]
    if not files:
        raise SeedPushError(f"{request.location} holds only empty files, which CodeCommit cannot commit")
    seed = {item.path: item for item in files}

    parent = head if head is not None else base
    present: Mapping[str, tuple[str, str] | None] = {}
    try:
        if check is not None:
            written = changed_files(codecommit, repository, check[1], check[0])
            _check_written(written, seed, where)
            present = written if check[0] is None else changed_files(codecommit, repository, check[1])
        elif parent is not None:
            present = changed_files(codecommit, repository, parent)
    except ClientError as exc:
        raise SeedPushError(f"cannot read the files of {where} ({_error_code(exc)}): {exc}") from exc
    todo = [item for item in files if present.get(item.path) != item.blob]

    if head is None and base is not None:
        try:
            codecommit.create_branch(repositoryName=repository, branchName=request.branch, commitId=base)
        except ClientError as exc:
            raise SeedPushError(f"CreateBranch {where} at {base} failed ({_error_code(exc)}): {exc}") from exc
    if not todo:
        LOG.info("%s already holds every file of %s", where, request.location)
        return _result("skipped" if head is not None else status, request, parent, reason="complete", empty_files=empty)

    commits: list[str] = []
    parts = list(batches(todo))
    total = done + len(parts)
    for number, part in enumerate(parts, start=done + 1):
        kwargs: dict[str, Any] = {
            "repositoryName": repository,
            "branchName": request.branch,
            "authorName": request.author_name,
            "email": request.author_email,
            "commitMessage": _message(request, number, total, base),
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
                f"CreateCommit {number}/{total} into {where} failed ({_error_code(exc)}): {exc}"
            ) from exc
        parent = str(response["commitId"])
        commits.append(parent)
    LOG.info("%s %d file(s) from %s to %s", status, len(todo), request.location, where)
    return _result(status, request, parent, commits=commits, files=len(todo), empty_files=empty)


def handler(event: Mapping[str, Any], context: object) -> dict[str, Any]:
    """Lambda entry point (``seed_push.handler``)."""
    del context
    return push(boto3.client("codecommit"), boto3.client("s3"), event)
