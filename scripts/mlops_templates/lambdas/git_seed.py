"""Git-seed function: checks a seed-code zip from S3 into a branch of an existing third-party git repository.

Invoked once per repository at SageMaker project creation with the event::

    {"remote": {"kind": "codeconnections",
                "connection_arn": "arn:aws:codeconnections:eu-west-1:123456789012:connection/<uuid>",
                "full_repository_id": "owner/repo"}
           or  {"kind": "secret", "secret_arn": "arn:aws:secretsmanager:...",
                "repository_url": "https://host/path/repo.git"},     (optional; else the secret's "url")
     "branch": "main", "seed_bucket": "...", "seed_key": "...",
     "commit_message": "...", "author_name": "...", "author_email": "...",
     "max_pack_bytes": 67108864,                                     (optional)
     "files": {".github/sagemaker-project.json": "{...}\\n"}}        (optional)

``files`` holds project-specific files the first commit carries besides the zip's (e.g. settings rendered by
Terraform at project creation): a JSON object of at most 20 entries ``{path: text}``. Each path is checked like a zip
entry's (relative, no ``..`` or ``.git`` component, no backslash, not empty) and must not end in ``/``; it is
normalised (empty and ``.`` components dropped), and two keys naming the same path are refused. Each value must be a
string, stored UTF-8 encoded with mode 100644, at most 1 MiB once encoded (a synchronous invocation's payload, 6 MB,
bounds them all together). A path that is also in the zip (as a file, or as a directory holding files) is refused
(:class:`GitSeedError` ``event files[...] would replace the seed zip's ...``) rather than silently overriding the seed
code; so is one that would turn a file into a directory. The event's files join the zip's, in path order, before the
seed is split into parts: the same event gives the same commits. The checks of the event itself run before anything
is read or pushed; the collisions with the zip are found once the zip is read, still before any push.

The function speaks git's smart-HTTP protocol (v0/v1, ``git-receive-pack``) itself, through :mod:`githttp`; it
needs neither a git binary nor a git library. The remote is reached at:

* ``codeconnections``: ``https://codeconnections.<region>.amazonaws.com/git-http/<account>/<region>/<connection
  id>/<full_repository_id>.git`` (``codestar-connections.<region>...`` for a ``codestar-connections`` ARN), signed
  in with the password ``aws codecommit credential-helper`` computes from the function's AWS credentials (a SigV4
  signature of the repository URL for the ``codecommit`` service, which the CodeConnections git-http proxy
  accepts);
* ``secret``: the URL of the event (or the secret's ``url``), signed in with HTTP basic auth from the Secrets
  Manager secret, whose ``SecretString`` is ``{"username": ..., "token": ..., "url": ...}``. The URL must be
  ``https``: the token is never sent in clear text.

The environment variable ``GIT_HTTP_ENDPOINT_URL`` (e.g. ``http://127.0.0.1:8080``), for tests and proxies,
replaces the scheme and host of either URL; the path is kept, and the codeconnections signature is computed over the
URL actually requested.

What it does:

* ``refs/heads/<branch>`` exists: left alone (``skipped``, reason ``exists``), whatever it holds. A branch that has
  commits is never overwritten (Terraform re-invokes the function on product updates).
* otherwise the zip's files, with the event's ``files``, are made into git objects in memory (blobs; trees with git's
  ordering and the modes 100644, 100755 for files executable in the zip, 40000; a commit by the event's author, dated
  with the latest modification time in the zip taken as UTC, so the same zip and files give the same commit ids). Its
  message is the event's ``commit_message`` with trailers::

      Seed-Code: s3://bucket/key
      Seed-Part: n/N             (only when the seed is pushed in several parts)

  A seed that fits in one pack of ``max_pack_bytes`` (default 64 MiB) is pushed as one commit that creates the
  branch (old value zero: git refuses the update if someone created the branch in the meantime; the function then
  reads the refs again and answers ``skipped``/``exists``).
* a larger seed is split into N commits, each one's tree holding every file so far, pushed in N requests (each pack
  holding only the objects not sent before) to the staging branch ``mlops-seed/<branch>``; once all are in, one
  more request creates ``<branch>`` at the last commit and deletes the staging branch (atomically when the server
  advertises ``atomic``). A failure half-way leaves the staging branch at the last part pushed: invoked again, the
  function computes the same commits and continues after that one. A staging branch at any other commit raises
  :class:`GitSeedError` instead of being overwritten. The branch therefore only ever appears complete. The split
  depends only on the files' sizes (a bound of their compressed size, not zlib's output); a file larger than one
  pack goes alone. A staging branch left at the branch's own head (a finish interrupted between its create and
  delete requests) is deleted by the next invocation.

The zip's entries must be regular files: absolute paths, ``..`` or ``.git`` components, backslashes and symbolic
links are refused; directory entries are skipped (git stores no empty directories); empty files are kept.

The answer is ``{"status": "skipped", "reason": "exists", "head": <commit>, "repository", "branch"}`` or
``{"status": "pushed", "commit": <the branch's commit>, "files": n, "parts": N, "resumed_after": <parts found on
the staging branch>, "repository", "branch"}`` (``files`` counts the zip's and the event's).

Failures raise :class:`GitSeedError` with a message naming the repository, the secret or connection, or the S3
object at fault, so ``terraform apply`` shows why provisioning stopped. Tokens and passwords never appear in
messages or logs. Redirects are not followed (they would carry the credentials elsewhere).

The git protocol and the remotes are :mod:`githttp`'s, which the function's zip holds next to this file; besides
it, only the standard library and boto3 are imported. Errors of the git client are raised as
:class:`GitSeedError` too (same message).
"""

from __future__ import annotations

import io
import logging
import os
import posixpath
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.credentials import ReadOnlyCredentials
from botocore.exceptions import BotoCoreError, ClientError

try:
    from . import githttp
except ImportError:  # in the Lambda zip, githttp.py is a top-level module next to this one
    import githttp  # type: ignore[no-redef, import-not-found]

# The function's version (`mlops-templates package` reads it): bump it with every change to this file.
__version__ = "1.1.0"

LOG = logging.getLogger(__name__)
LOG.setLevel(logging.INFO)

MAX_ZIP_BYTES = 512 * 1024 * 1024
MAX_SEED_BYTES = 1024 * 1024 * 1024  # all files, uncompressed
MAX_BYTES_PER_FILE = 100 * 1024 * 1024  # GitHub refuses larger files
MAX_EVENT_FILES = 20  # the event's ``files``
MAX_EVENT_FILE_BYTES = 1024 * 1024  # each, UTF-8 encoded
DEFAULT_MAX_PACK_BYTES = 64 * 1024 * 1024
STAGING_PREFIX = "mlops-seed/"
AGENT = f"mlops-templates/{__version__}"

REQUIRED_KEYS = ("remote", "branch", "seed_bucket", "seed_key")
REMOTE_KEYS = {"codeconnections": ("connection_arn", "full_repository_id"), "secret": ("secret_arn",)}
DEFAULTS = {
    "commit_message": "Initial commit: seed code",
    "author_name": "mlops-templates",
    "author_email": "mlops-templates@noreply.local",
}

UNSAFE_IDENT_RE = re.compile(r"[<>\x00\n]")


class GitSeedError(githttp.GitError):
    """The seed code could not be pushed; the message names the repository, secret, connection or object at fault.

    :func:`push` raises it for every failure, the git client's (:class:`githttp.GitError`) included."""


@dataclass(frozen=True)
class SeedRequest:
    """A validated invocation event."""

    remote: githttp.ConnectionRemote | githttp.SecretRemote
    branch: str
    seed_bucket: str
    seed_key: str
    commit_message: str
    author_name: str
    author_email: str
    max_pack_bytes: int
    files: tuple[githttp.File, ...] = ()  # the event's ``files``, checked, in path order

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> SeedRequest:
        if not isinstance(event, Mapping):
            raise GitSeedError(f"event must be a JSON object, got {type(event).__name__}")
        missing = [key for key in REQUIRED_KEYS if key != "remote" and not _text(event.get(key))]
        raw_remote = event.get("remote")
        remote: githttp.ConnectionRemote | githttp.SecretRemote | None = None
        if not isinstance(raw_remote, Mapping):
            missing.insert(0, "remote")
        else:
            kind = raw_remote.get("kind")
            if kind not in REMOTE_KEYS:
                if not _text(kind):
                    missing.insert(0, "remote.kind")
                else:
                    raise GitSeedError(f"event field remote.kind must be 'codeconnections' or 'secret', got {kind!r}")
            else:
                absent = [f"remote.{key}" for key in REMOTE_KEYS[kind] if not _text(raw_remote.get(key))]
                missing[:0] = absent
                if not absent and kind == "codeconnections":
                    remote = githttp.ConnectionRemote(raw_remote["connection_arn"], raw_remote["full_repository_id"])
                elif not absent:
                    url = raw_remote.get("repository_url")
                    if url is not None and not isinstance(url, str):
                        raise GitSeedError("event field remote.repository_url must be a string")
                    remote = githttp.SecretRemote(raw_remote["secret_arn"], url or None)
        if missing or remote is None:
            raise GitSeedError(f"event is missing required string field(s): {', '.join(missing)}")
        values = {key: event[key] for key in ("branch", "seed_bucket", "seed_key")}
        for key, default in DEFAULTS.items():
            value = event.get(key)
            values[key] = value.strip() if isinstance(value, str) and value.strip() else default
        max_pack = event.get("max_pack_bytes", DEFAULT_MAX_PACK_BYTES)
        if isinstance(max_pack, bool) or not isinstance(max_pack, int) or max_pack <= 0:
            raise GitSeedError(f"event field max_pack_bytes must be a positive integer, got {max_pack!r}")
        files = event_files(event.get("files"))
        request = cls(remote=remote, max_pack_bytes=max_pack, files=files, **values)
        request.validate()
        return request

    def validate(self) -> None:
        if not githttp.is_valid_branch(self.branch):
            raise GitSeedError(f"branch {self.branch!r} is not a valid git branch name")
        if self.branch.startswith(STAGING_PREFIX):
            raise GitSeedError(f"branch {self.branch!r}: {STAGING_PREFIX}* is where the function stages large seeds")
        for key in ("author_name", "author_email"):
            if UNSAFE_IDENT_RE.search(getattr(self, key)):
                raise GitSeedError(f"event field {key} must not contain '<', '>' or line breaks")
        if "\x00" in self.commit_message:
            raise GitSeedError("event field commit_message must not contain NUL characters")

    @property
    def location(self) -> str:
        return f"s3://{self.seed_bucket}/{self.seed_key}"

    @property
    def target_ref(self) -> str:
        return f"refs/heads/{self.branch}"

    @property
    def staging_ref(self) -> str:
        return f"refs/heads/{STAGING_PREFIX}{self.branch}"


_text = githttp.is_text


# --- Seed files ------------------------------------------------------------------------------------------------


def _safe_path(path: str) -> str | None:
    """The normalised path of a zip entry (or of an event file), or None when it is unsafe."""
    if not path or path.startswith("/") or "\\" in path or "\x00" in path or re.match(r"^[A-Za-z]:", path):
        return None
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if not parts or any(part == ".." or part.lower() == ".git" for part in parts):
        return None
    return posixpath.join(*parts)


def read_seed_files(data: bytes, location: str) -> tuple[list[githttp.File], datetime]:
    """The regular files of a seed zip sorted by path, and the latest time stamp in the zip (taken as UTC)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise GitSeedError(f"{location} is not a zip file: {exc}") from exc
    files: dict[str, githttp.File] = {}
    total = 0
    with archive:
        entries = archive.infolist()
        latest = max((info.date_time for info in entries), default=(1980, 1, 1, 0, 0, 0))
        for info in entries:
            if info.is_dir():
                continue
            path = _safe_path(info.filename)
            if path is None:
                raise GitSeedError(f"{location}: unsafe path in zip: {info.filename!r}")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise GitSeedError(f"{location}: symbolic links are not supported: {info.filename!r}")
            if stat.S_IFMT(mode) not in (0, stat.S_IFREG):
                raise GitSeedError(f"{location}: {info.filename!r} is not a regular file")
            if info.file_size > MAX_BYTES_PER_FILE:
                raise GitSeedError(f"{location}: {path} is {info.file_size} bytes, more than {MAX_BYTES_PER_FILE}")
            total += info.file_size
            if total > MAX_SEED_BYTES:
                raise GitSeedError(f"{location} unpacks to more than {MAX_SEED_BYTES} bytes")
            if path in files:
                raise GitSeedError(f"{location}: {path} is in the zip twice")
            try:
                content = archive.read(info)
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError) as exc:
                raise GitSeedError(f"{location}: {path} cannot be read: {exc}") from exc
            files[path] = githttp.File(path=path, content=content, executable=bool(mode & stat.S_IXUSR))
    if not files:
        raise GitSeedError(f"{location} holds no files")
    try:
        when = datetime(*latest, tzinfo=UTC)
    except ValueError as exc:
        raise GitSeedError(f"{location}: invalid time stamp {latest} in zip: {exc}") from exc
    return [files[path] for path in sorted(files)], when


def event_files(raw: object) -> tuple[githttp.File, ...]:
    """The event's ``files`` (absent or null: none) as regular files in path order; errors name the field."""
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise GitSeedError(f"event field files must be a JSON object of path: text content, got {type(raw).__name__}")
    if len(raw) > MAX_EVENT_FILES:
        raise GitSeedError(f"event field files holds {len(raw)} files, at most {MAX_EVENT_FILES} are allowed")
    files: dict[str, githttp.File] = {}
    named: dict[str, str] = {}
    for key, text in raw.items():
        if not isinstance(key, str):
            raise GitSeedError(f"event field files: path {key!r} must be a string")
        path = _safe_path(key) if not key.endswith("/") else None
        if path is None:
            raise GitSeedError(
                f"event field files: unsafe path {key!r} (a file path relative to the repository's root, without "
                "'..' or '.git' components, backslashes or a trailing '/')"
            )
        if path in files:
            raise GitSeedError(f"event field files: {named[path]!r} and {key!r} name the same file {path}")
        if not isinstance(text, str):
            raise GitSeedError(
                f"event field files[{key!r}] must be a string (the file's text), got {type(text).__name__}"
            )
        try:
            content = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise GitSeedError(f"event field files[{key!r}] cannot be encoded as UTF-8: {exc.reason}") from exc
        if len(content) > MAX_EVENT_FILE_BYTES:
            raise GitSeedError(
                f"event field files[{key!r}] is {len(content)} bytes (UTF-8), more than {MAX_EVENT_FILE_BYTES}"
            )
        files[path] = githttp.File(path=path, content=content, executable=False)
        named[path] = key
    for path in files:
        for directory in _parents(path):
            if directory in files:
                raise GitSeedError(f"event field files: {directory} is a file and the directory of {path}")
    return tuple(files[path] for path in sorted(files))


def _parents(path: str) -> list[str]:
    """The directories holding ``path``: ``a/b/c`` -> ``a``, ``a/b``."""
    parts = path.split("/")
    return ["/".join(parts[:index]) for index in range(1, len(parts))]


def with_event_files(
    seed_files: Sequence[githttp.File], extra: Sequence[githttp.File], location: str
) -> list[githttp.File]:
    """The zip's files and the event's, in path order; an event file never replaces or shadows the zip's."""
    if not extra:
        return list(seed_files)
    paths = {item.path for item in seed_files}
    directories = {directory for item in seed_files for directory in _parents(item.path)}
    for item in extra:
        if item.path in paths:
            raise GitSeedError(
                f"event files[{item.path!r}] would replace the seed zip's {item.path} ({location}): "
                "give the file another path or remove it from the seed code"
            )
        if item.path in directories:
            raise GitSeedError(
                f"event files[{item.path!r}] would replace the seed zip's directory {item.path} ({location})"
            )
        for directory in _parents(item.path):
            if directory in paths:
                raise GitSeedError(
                    f"event files[{item.path!r}] would replace the seed zip's file {directory} ({location}) "
                    "with a directory"
                )
    return sorted([*seed_files, *extra], key=lambda item: item.path)


def _object_bound(size: int) -> int:
    """An upper bound of an object's size in a pack: header, plus zlib's worst case for ``size`` bytes."""
    return size + (size >> 10) + 64


def plan_parts(files: Sequence[githttp.File], max_pack_bytes: int, reserve: int) -> list[list[githttp.File]]:
    """Split ``files`` (in path order) into parts whose packs stay within ``max_pack_bytes``.

    ``reserve`` bounds the trees and commit of any part. The split depends only on the files' sizes and contents (not
    on zlib's output), so the same zip always gives the same parts. A file too large for any pack goes alone."""
    budget = max_pack_bytes - reserve
    parts: list[list[githttp.File]] = [[]]
    used, seen = 0, set()
    for item in files:
        blob = githttp.object_id("blob", item.content)
        cost = 0 if blob in seen else _object_bound(len(item.content))
        if parts[-1] and used + cost > budget:
            parts.append([])
            used = 0
        if cost > budget:
            LOG.warning("%s (%d bytes) alone exceeds max_pack_bytes %d", item.path, len(item.content), max_pack_bytes)
        parts[-1].append(item)
        seen.add(blob)
        used += cost
    return parts


@dataclass(frozen=True)
class Part:
    """One commit of the seed and the objects first needed by it."""

    number: int
    commit: str
    objects: list[tuple[str, bytes]]
    files: int


def commit_message(request: SeedRequest, number: int, total: int) -> str:
    lines = [request.commit_message.rstrip(), "", f"Seed-Code: {request.location}"]
    if total > 1:
        lines.append(f"Seed-Part: {number}/{total}")
    return "\n".join(lines) + "\n"


def build_parts(files: Sequence[githttp.File], request: SeedRequest, when: datetime) -> list[Part]:
    """The seed's commits (one per part, each tree holding every file so far), chained, deterministic."""
    final: githttp.Objects = {}
    githttp.write_tree(files, final, request.location)  # checks the paths; bounds the trees of every part
    reserve = sum(_object_bound(len(data)) for kind, data in final.values() if kind == "tree")
    reserve += _object_bound(1024 + len(request.commit_message.encode()) + len(request.location.encode()) * 2) + 32
    reserve += _object_bound(len(request.author_name.encode()) + len(request.author_email.encode())) * 2
    groups = plan_parts(files, request.max_pack_bytes, reserve)
    ident = f"{request.author_name} <{request.author_email}> {int(when.timestamp())} +0000"
    parts: list[Part] = []
    sent: set[str] = set()
    so_far: list[githttp.File] = []
    parent: str | None = None
    for number, group in enumerate(groups, start=1):
        so_far.extend(group)
        objects: githttp.Objects = {}
        tree = githttp.write_tree(so_far, objects, request.location)
        header = f"tree {tree}\n" + (f"parent {parent}\n" if parent else "")
        header += f"author {ident}\ncommitter {ident}\n\n"
        data = (header + commit_message(request, number, len(groups))).encode("utf-8")
        parent = githttp.object_id("commit", data)
        objects[parent] = ("commit", data)
        new = [(kind, content) for oid, (kind, content) in objects.items() if oid not in sent]
        sent.update(objects)
        parts.append(Part(number=number, commit=parent, objects=new, files=len(group)))
    return parts


# --- Seeding -----------------------------------------------------------------------------------------------------


def download(s3: Any, request: SeedRequest) -> bytes:
    """The seed zip's bytes; a clear error when it is missing or too large."""
    try:
        response = s3.get_object(Bucket=request.seed_bucket, Key=request.seed_key)
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        raise GitSeedError(f"seed code {request.location} cannot be read ({code})") from exc
    if int(response.get("ContentLength", 0)) > MAX_ZIP_BYTES:
        raise GitSeedError(f"seed code {request.location} is larger than {MAX_ZIP_BYTES} bytes")
    return bytes(response["Body"].read())


def _skipped(request: SeedRequest, remote: githttp.Remote, head: str) -> dict[str, Any]:
    LOG.info("%s of %s exists (head %s): left alone", request.branch, remote.repository, head)
    return {
        "status": "skipped",
        "reason": "exists",
        "repository": remote.repository,
        "branch": request.branch,
        "head": head,
    }


class _Seeder:
    """One invocation's push: the parts, the client, and what to do when the server refuses an update."""

    def __init__(self, request: SeedRequest, remote: githttp.Remote, git: githttp.GitHttp) -> None:
        self.request = request
        self.remote = remote
        self.git = git
        self.staging = f"{STAGING_PREFIX}{request.branch}"
        self.commits: list[str] = []

    def refused(self, ref: str, reason: str) -> dict[str, Any]:
        """After a refused update: skipped when the branch now exists (someone was faster), else an error."""
        advert = self.git.advertisement()
        head = advert.refs.get(self.request.target_ref)
        if head is not None:
            self.delete_staging(advert, set(self.commits))
            return _skipped(self.request, self.remote, head)
        name = "branch " + self.request.branch if ref == self.request.target_ref else "staging branch " + self.staging
        raise GitSeedError(f"{self.remote.repository} refused to update {name} ({ref}): {reason}")

    def delete_staging(self, advert: githttp.Advertisement, allowed: set[str]) -> None:
        """Delete the staging branch when it is at one of the ``allowed`` commits (best effort: logs failures)."""
        staged = advert.refs.get(self.request.staging_ref)
        if staged is None or staged not in allowed:
            return
        if not advert.has("delete-refs"):
            LOG.warning("%s does not allow deleting refs: staging branch %s left", self.remote.repository, self.staging)
            return
        try:
            result = self.git.push([(staged, githttp.ZERO_ID, self.request.staging_ref)], None, advert)
            reason = result[self.request.staging_ref]
        except githttp.GitError as exc:
            reason = str(exc)
        if reason is not None:
            LOG.warning("staging branch %s of %s not deleted: %s", self.staging, self.remote.repository, reason)

    def run(self, advert: githttp.Advertisement, parts: list[Part], files: int) -> dict[str, Any]:
        request, target, staging_ref = self.request, self.request.target_ref, self.request.staging_ref
        last = parts[-1].commit
        self.commits = [part.commit for part in parts]
        resumed = 0
        if len(parts) == 1:
            result = self.git.push([(githttp.ZERO_ID, last, target)], githttp.write_pack(parts[0].objects), advert)
            if result[target] is not None:
                return self.refused(target, str(result[target]))
        else:
            staged = advert.refs.get(staging_ref)
            if staged is not None and staged not in self.commits:
                raise GitSeedError(
                    f"staging branch {self.staging} of {self.remote.repository} is at {staged}, which is not one of "
                    f"the {len(parts)} commits of seed {request.location}: it was not left by this seed; "
                    f"delete the branch {self.staging} to seed {request.branch} again"
                )
            old = staged or githttp.ZERO_ID
            resumed = self.commits.index(staged) + 1 if staged is not None else 0
            if resumed:
                LOG.info("%s is at part %d/%d: resuming", self.staging, resumed, len(parts))
            for part in parts[resumed:]:
                LOG.info("pushing part %d/%d (%d objects)", part.number, len(parts), len(part.objects))
                result = self.git.push([(old, part.commit, staging_ref)], githttp.write_pack(part.objects), advert)
                if result[staging_ref] is not None:
                    return self.refused(staging_ref, str(result[staging_ref]))
                old = part.commit
            create = (githttp.ZERO_ID, last, target)
            delete = (last, githttp.ZERO_ID, staging_ref)
            if advert.has("atomic") and advert.has("delete-refs"):
                result = self.git.push([create, delete], None, advert)
            else:
                result = self.git.push([create], None, advert)
                if result[target] is None:
                    self.delete_staging(githttp.Advertisement({staging_ref: last}, advert.capabilities), {last})
            if result[target] is not None:
                return self.refused(target, str(result[target]))
            if result.get(staging_ref, None) is not None:
                LOG.warning("staging branch %s not deleted: %s", self.staging, result[staging_ref])
        LOG.info("pushed %s to %s:%s at %s", request.location, self.remote.repository, request.branch, last)
        return {
            "status": "pushed",
            "repository": self.remote.repository,
            "branch": request.branch,
            "commit": last,
            "files": files,
            "parts": len(parts),
            "resumed_after": resumed,
        }


@contextmanager
def _as_seed_error() -> Iterator[None]:
    """The git client's errors raised as :class:`GitSeedError` (same message, the original as its cause)."""
    try:
        yield
    except GitSeedError:
        raise
    except githttp.GitError as exc:
        raise GitSeedError(str(exc)) from exc


def seed(request: SeedRequest, remote: githttp.Remote, s3: Any, opener: githttp.Opener | None = None) -> dict[str, Any]:
    """Push the seed zip of ``request`` to ``remote`` unless its branch exists; returns a summary."""
    with _as_seed_error():
        git = githttp.GitHttp(remote, opener, agent=AGENT)
        advert = git.advertisement()
        head = advert.refs.get(request.target_ref)
        if head is not None:
            _Seeder(request, remote, git).delete_staging(advert, {head})  # left by an interrupted non-atomic finish
            return _skipped(request, remote, head)
        seed_files, when = read_seed_files(download(s3, request), request.location)
        files = with_event_files(seed_files, request.files, request.location)
        parts = build_parts(files, request, when)
        return _Seeder(request, remote, git).run(advert, parts, len(files))


def push(
    event: Mapping[str, Any],
    *,
    s3: Any,
    secretsmanager: Any = None,
    credentials: ReadOnlyCredentials | None = None,
    now: datetime | None = None,
    endpoint_url: str | None = None,
    opener: githttp.Opener | None = None,
) -> dict[str, Any]:
    """Validate ``event``, resolve its remote (a secret through ``secretsmanager``, a connection with
    ``credentials``) and seed the branch. ``endpoint_url`` defaults to the environment's GIT_HTTP_ENDPOINT_URL."""
    request = SeedRequest.from_event(event)
    endpoint = endpoint_url if endpoint_url is not None else os.environ.get(githttp.ENDPOINT_ENV) or None
    with _as_seed_error():
        if isinstance(request.remote, githttp.ConnectionRemote):
            if credentials is None:
                raise GitSeedError(f"no AWS credentials to sign in to connection {request.remote.connection_arn}")
            remote = githttp.connection_remote(request.remote, credentials, now or datetime.now(UTC), endpoint)
        else:
            if secretsmanager is None:
                raise GitSeedError(f"no Secrets Manager client to read secret {request.remote.secret_arn}")
            remote = githttp.secret_remote(request.remote, secretsmanager, endpoint)
    LOG.info("seeding %s:%s from %s", remote.repository, request.branch, request.location)
    return seed(request, remote, s3, opener)


def handler(event: Mapping[str, Any], context: object) -> dict[str, Any]:
    """Lambda entry point (``git_seed.handler``)."""
    del context
    request = SeedRequest.from_event(event)
    session = boto3.session.Session()
    secretsmanager: Any = None
    credentials: ReadOnlyCredentials | None = None
    if isinstance(request.remote, githttp.SecretRemote):
        region = githttp.secret_region(request.remote.secret_arn)  # the secret's own region
        secretsmanager = session.client("secretsmanager", region_name=region)
    else:
        try:
            found = session.get_credentials()
        except BotoCoreError as exc:
            raise GitSeedError(f"no AWS credentials for connection {request.remote.connection_arn}: {exc}") from exc
        credentials = found.get_frozen_credentials() if found is not None else None
    return push(event, s3=session.client("s3"), secretsmanager=secretsmanager, credentials=credentials)
