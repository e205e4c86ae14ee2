"""Git-seed function: checks a seed-code zip from S3 into a branch of an existing third-party git repository.

Invoked once per repository at SageMaker project creation with the event::

    {"remote": {"kind": "codeconnections",
                "connection_arn": "arn:aws:codeconnections:eu-west-1:123456789012:connection/<uuid>",
                "full_repository_id": "owner/repo"}
           or  {"kind": "secret", "secret_arn": "arn:aws:secretsmanager:...",
                "repository_url": "https://host/path/repo.git"},     (optional; else the secret's "url")
     "branch": "main", "seed_bucket": "...", "seed_key": "...",
     "commit_message": "...", "author_name": "...", "author_email": "...",
     "max_pack_bytes": 67108864}                                     (optional)

The function speaks git's smart-HTTP protocol (v0/v1, ``git-receive-pack``) itself; it needs neither a git binary
nor a git library. The remote is reached at:

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
* otherwise the zip's files are made into git objects in memory (blobs; trees with git's ordering and the modes
  100644, 100755 for files executable in the zip, 40000; a commit by the event's author, dated with the latest
  modification time in the zip taken as UTC, so the same zip gives the same commit ids). Its message is the event's
  ``commit_message`` with trailers::

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
the staging branch>, "repository", "branch"}``.

Failures raise :class:`GitSeedError` with a message naming the repository, the secret or connection, or the S3
object at fault, so ``terraform apply`` shows why provisioning stopped. Tokens and passwords never appear in
messages or logs. Redirects are not followed (they would carry the credentials elsewhere).

Only the standard library and boto3 are imported: this file is the whole Lambda package.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import io
import json
import logging
import os
import posixpath
import re
import stat
import struct
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import ReadOnlyCredentials
from botocore.exceptions import BotoCoreError, ClientError

# The function's version (`mlops-templates package` reads it): bump it with every change to this file.
__version__ = "1.0.0"

LOG = logging.getLogger(__name__)
LOG.setLevel(logging.INFO)

ZERO_ID = "0" * 40
MAX_ZIP_BYTES = 512 * 1024 * 1024
MAX_SEED_BYTES = 1024 * 1024 * 1024  # all files, uncompressed
MAX_BYTES_PER_FILE = 100 * 1024 * 1024  # GitHub refuses larger files
DEFAULT_MAX_PACK_BYTES = 64 * 1024 * 1024
HTTP_TIMEOUT_SECONDS = 120.0
ENDPOINT_ENV = "GIT_HTTP_ENDPOINT_URL"
STAGING_PREFIX = "mlops-seed/"
MODE_NORMAL = "100644"
MODE_EXECUTABLE = "100755"
MODE_TREE = "40000"
OBJECT_TYPES = {"commit": 1, "tree": 2, "blob": 3}
MAX_PKT_PAYLOAD = 65516

REQUIRED_KEYS = ("remote", "branch", "seed_bucket", "seed_key")
REMOTE_KEYS = {"codeconnections": ("connection_arn", "full_repository_id"), "secret": ("secret_arn",)}
DEFAULTS = {
    "commit_message": "Initial commit: seed code",
    "author_name": "mlops-templates",
    "author_email": "mlops-templates@noreply.local",
}

CONNECTION_ARN_RE = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):(?P<service>codeconnections|codestar-connections):(?P<region>[a-z0-9-]+):"
    r"(?P<account>[0-9]{12}):connection/(?P<id>[0-9A-Za-z-]+)$"
)
SECRET_ARN_RE = re.compile(r"^arn:aws[a-z-]*:secretsmanager:(?P<region>[a-z0-9-]+):[0-9]{12}:secret:.+$")
REPOSITORY_ID_RE = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$")
# git check-ref-format, for one branch name.
BAD_REF_RE = re.compile(r"(^|/)\.|\.\.|[\x00-\x20\x7f~^:?*\[\\]|@\{|//|\.lock(/|$)|^/|/$|\.$|^-|^@$")
UNSAFE_IDENT_RE = re.compile(r"[<>\x00\n]")


class GitSeedError(Exception):
    """The seed code could not be pushed; the message names the repository, secret, connection or object at fault."""


@dataclass(frozen=True)
class ConnectionRemote:
    """A repository reached through an AWS CodeConnections connection."""

    connection_arn: str
    full_repository_id: str


@dataclass(frozen=True)
class SecretRemote:
    """A repository reached with a username and token from Secrets Manager."""

    secret_arn: str
    repository_url: str | None


@dataclass(frozen=True)
class SeedRequest:
    """A validated invocation event."""

    remote: ConnectionRemote | SecretRemote
    branch: str
    seed_bucket: str
    seed_key: str
    commit_message: str
    author_name: str
    author_email: str
    max_pack_bytes: int

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> SeedRequest:
        if not isinstance(event, Mapping):
            raise GitSeedError(f"event must be a JSON object, got {type(event).__name__}")
        missing = [key for key in REQUIRED_KEYS if key != "remote" and not _text(event.get(key))]
        raw_remote = event.get("remote")
        remote: ConnectionRemote | SecretRemote | None = None
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
                    remote = ConnectionRemote(raw_remote["connection_arn"], raw_remote["full_repository_id"])
                elif not absent:
                    url = raw_remote.get("repository_url")
                    if url is not None and not isinstance(url, str):
                        raise GitSeedError("event field remote.repository_url must be a string")
                    remote = SecretRemote(raw_remote["secret_arn"], url or None)
        if missing or remote is None:
            raise GitSeedError(f"event is missing required string field(s): {', '.join(missing)}")
        values = {key: event[key] for key in ("branch", "seed_bucket", "seed_key")}
        for key, default in DEFAULTS.items():
            value = event.get(key)
            values[key] = value.strip() if isinstance(value, str) and value.strip() else default
        max_pack = event.get("max_pack_bytes", DEFAULT_MAX_PACK_BYTES)
        if isinstance(max_pack, bool) or not isinstance(max_pack, int) or max_pack <= 0:
            raise GitSeedError(f"event field max_pack_bytes must be a positive integer, got {max_pack!r}")
        request = cls(remote=remote, max_pack_bytes=max_pack, **values)
        request.validate()
        return request

    def validate(self) -> None:
        if BAD_REF_RE.search(self.branch) or self.branch.endswith(".lock"):
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


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


# --- Remotes -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Remote:
    """Where and how to push: the repository URL as requested, and HTTP basic credentials."""

    url: str
    username: str = field(repr=False)  # may hold a session token (codeconnections)
    password: str = field(repr=False)
    credential_source: str  # e.g. "secret arn:..." or "connection arn:...", for messages
    repository: str  # the repository's name for messages

    @property
    def authorization(self) -> str:
        pair = f"{self.username}:{self.password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")


def with_endpoint(url: str, endpoint_url: str | None) -> str:
    """``url`` with its scheme and host replaced by those of ``endpoint_url`` (when given); the path is kept."""
    if not endpoint_url:
        return url
    endpoint = urllib.parse.urlsplit(endpoint_url)
    if endpoint.scheme not in ("http", "https") or not endpoint.netloc:
        raise GitSeedError(f"{ENDPOINT_ENV} must be an http(s) URL such as http://127.0.0.1:8080, got {endpoint_url!r}")
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((endpoint.scheme, endpoint.netloc, parts.path, "", ""))


def connection_url(connection_arn: str, full_repository_id: str) -> tuple[str, str]:
    """The CodeConnections git-http URL of a repository, and the connection's region."""
    match = CONNECTION_ARN_RE.match(connection_arn)
    if match is None:
        raise GitSeedError(f"{connection_arn!r} is not a CodeConnections connection ARN")
    if not REPOSITORY_ID_RE.match(full_repository_id) or ".." in full_repository_id.split("/"):
        raise GitSeedError(
            f"full_repository_id {full_repository_id!r} (connection {connection_arn}) must look like owner/repo"
        )
    region, account, connection_id = match["region"], match["account"], match["id"]
    suffix = "amazonaws.com.cn" if match["partition"] == "aws-cn" else "amazonaws.com"
    host = f"{match['service']}.{region}.{suffix}"
    return f"https://{host}/git-http/{account}/{region}/{connection_id}/{full_repository_id}.git", region


def codecommit_password(url: str, region: str, credentials: ReadOnlyCredentials, now: datetime) -> str:
    """The password ``aws codecommit credential-helper`` computes for ``url``: ``<timestamp>Z<SigV4 signature>``."""
    signer = SigV4Auth(credentials, "codecommit", region)
    request = AWSRequest(method="GIT", url=url)
    timestamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S")
    request.context["timestamp"] = timestamp
    split = urllib.parse.urlsplit(url)
    hostname = split.netloc.split("@")[-1].split(":")[0]
    canonical_request = f"GIT\n{split.path}\n\nhost:{hostname}\n\nhost\n"
    string_to_sign = signer.string_to_sign(request, canonical_request)
    return f"{timestamp}Z{signer.signature(string_to_sign, request)}"


def connection_remote(
    spec: ConnectionRemote, credentials: ReadOnlyCredentials, now: datetime, endpoint_url: str | None
) -> Remote:
    """The remote of a CodeConnections repository, signed in with the credential-helper password."""
    url, region = connection_url(spec.connection_arn, spec.full_repository_id)
    url = with_endpoint(url, endpoint_url)
    if not credentials.access_key or not credentials.secret_key:
        raise GitSeedError(f"no AWS credentials to sign in to connection {spec.connection_arn}")
    username = credentials.access_key + (f"%{credentials.token}" if credentials.token else "")
    return Remote(
        url=url,
        username=username,
        password=codecommit_password(url, region, credentials, now),
        credential_source=f"connection {spec.connection_arn}",
        repository=spec.full_repository_id,
    )


def secret_remote(spec: SecretRemote, secretsmanager: Any, endpoint_url: str | None) -> Remote:
    """The remote of a repository whose username and token are in a Secrets Manager secret."""
    arn = spec.secret_arn
    try:
        response = secretsmanager.get_secret_value(SecretId=arn)
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        raise GitSeedError(f"secret {arn} cannot be read ({code})") from exc
    raw = response.get("SecretString")
    try:
        value = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise GitSeedError(f'secret {arn} must hold a JSON object {{"username": ..., "token": ..., "url": ...}}')
    bad = [key for key in ("username", "token") if not _text(value.get(key))]
    if "url" in value and not isinstance(value["url"], str):
        bad.append("url")
    if bad:
        raise GitSeedError(f"secret {arn} has no valid (non-empty string) field(s): {', '.join(bad)}")
    url = spec.repository_url or value.get("url")
    if not url:
        raise GitSeedError(f"no repository URL: set remote.repository_url in the event or url in secret {arn}")
    parts = urllib.parse.urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise GitSeedError(f"the repository URL (event or secret {arn}) must not hold credentials")
    if parts.scheme != "https" or not parts.hostname:
        raise GitSeedError(f"repository URL {url!r} (secret {arn}) must be an https:// URL")
    if parts.query or parts.fragment:
        raise GitSeedError(f"repository URL {url!r} (secret {arn}) must not have a query or fragment")
    return Remote(
        url=with_endpoint(url.rstrip("/"), endpoint_url),
        username=value["username"],
        password=value["token"],
        credential_source=f"secret {arn}",
        repository=url.rstrip("/"),
    )


# --- Seed files and git objects ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedFile:
    """One file of the seed zip."""

    path: str
    content: bytes
    executable: bool

    @property
    def mode(self) -> str:
        return MODE_EXECUTABLE if self.executable else MODE_NORMAL


def _safe_path(path: str) -> str | None:
    """The normalised path of a zip entry, or None when it is unsafe."""
    if not path or path.startswith("/") or "\\" in path or re.match(r"^[A-Za-z]:", path):
        return None
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if not parts or any(part == ".." or part.lower() == ".git" for part in parts):
        return None
    return posixpath.join(*parts)


def read_seed_files(data: bytes, location: str) -> tuple[list[SeedFile], datetime]:
    """The regular files of a seed zip sorted by path, and the latest time stamp in the zip (taken as UTC)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise GitSeedError(f"{location} is not a zip file: {exc}") from exc
    files: dict[str, SeedFile] = {}
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
            files[path] = SeedFile(path=path, content=content, executable=bool(mode & stat.S_IXUSR))
    if not files:
        raise GitSeedError(f"{location} holds no files")
    try:
        when = datetime(*latest, tzinfo=UTC)
    except ValueError as exc:
        raise GitSeedError(f"{location}: invalid time stamp {latest} in zip: {exc}") from exc
    return [files[path] for path in sorted(files)], when


def object_id(kind: str, data: bytes) -> str:
    digest = hashlib.sha1(f"{kind} {len(data)}\0".encode(), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()


Objects = dict[str, tuple[str, bytes]]  # object id -> (type, content), in the order written


def write_tree(files: Sequence[SeedFile], objects: Objects, location: str) -> str:
    """Add the blobs and trees of ``files`` to ``objects``; return the root tree's id."""
    root: dict[str, Any] = {}
    for item in files:
        *dirs, name = item.path.split("/")
        node = root
        for index, part in enumerate(dirs):
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise GitSeedError(f"{location}: {'/'.join(dirs[: index + 1])} is both a file and a directory")
            node = child
        if name in node:
            raise GitSeedError(f"{location}: {item.path} is both a file and a directory")
        blob = object_id("blob", item.content)
        objects.setdefault(blob, ("blob", item.content))
        node[name] = (item.mode, blob)
    return _write_node(root, objects)


def _write_node(node: dict[str, Any], objects: Objects) -> str:
    entries: list[tuple[bytes, bytes]] = []
    for name, value in node.items():
        encoded = name.encode("utf-8")
        if isinstance(value, dict):
            mode, oid, key = MODE_TREE, _write_node(value, objects), encoded + b"/"
        else:
            (mode, oid), key = value, encoded
        entries.append((key, mode.encode() + b" " + encoded + b"\0" + bytes.fromhex(oid)))
    data = b"".join(entry for _, entry in sorted(entries))
    tree = object_id("tree", data)
    objects.setdefault(tree, ("tree", data))
    return tree


def _object_bound(size: int) -> int:
    """An upper bound of an object's size in a pack: header, plus zlib's worst case for ``size`` bytes."""
    return size + (size >> 10) + 64


def plan_parts(files: Sequence[SeedFile], max_pack_bytes: int, reserve: int) -> list[list[SeedFile]]:
    """Split ``files`` (in path order) into parts whose packs stay within ``max_pack_bytes``.

    ``reserve`` bounds the trees and commit of any part. The split depends only on the files' sizes and contents (not
    on zlib's output), so the same zip always gives the same parts. A file too large for any pack goes alone."""
    budget = max_pack_bytes - reserve
    parts: list[list[SeedFile]] = [[]]
    used, seen = 0, set()
    for item in files:
        blob = object_id("blob", item.content)
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


def build_parts(files: Sequence[SeedFile], request: SeedRequest, when: datetime) -> list[Part]:
    """The seed's commits (one per part, each tree holding every file so far), chained, deterministic."""
    final: Objects = {}
    write_tree(files, final, request.location)  # checks the paths; bounds the trees of every part
    reserve = sum(_object_bound(len(data)) for kind, data in final.values() if kind == "tree")
    reserve += _object_bound(1024 + len(request.commit_message.encode()) + len(request.location.encode()) * 2) + 32
    reserve += _object_bound(len(request.author_name.encode()) + len(request.author_email.encode())) * 2
    groups = plan_parts(files, request.max_pack_bytes, reserve)
    ident = f"{request.author_name} <{request.author_email}> {int(when.timestamp())} +0000"
    parts: list[Part] = []
    sent: set[str] = set()
    so_far: list[SeedFile] = []
    parent: str | None = None
    for number, group in enumerate(groups, start=1):
        so_far.extend(group)
        objects: Objects = {}
        tree = write_tree(so_far, objects, request.location)
        header = f"tree {tree}\n" + (f"parent {parent}\n" if parent else "")
        header += f"author {ident}\ncommitter {ident}\n\n"
        data = (header + commit_message(request, number, len(groups))).encode("utf-8")
        parent = object_id("commit", data)
        objects[parent] = ("commit", data)
        new = [(kind, content) for oid, (kind, content) in objects.items() if oid not in sent]
        sent.update(objects)
        parts.append(Part(number=number, commit=parent, objects=new, files=len(group)))
    return parts


def write_pack(objects: Sequence[tuple[str, bytes]]) -> bytes:
    """A version 2 pack of undeltified objects, with its trailing SHA-1."""
    pack = bytearray(b"PACK" + struct.pack(">II", 2, len(objects)))
    for kind, data in objects:
        size = len(data)
        byte = (OBJECT_TYPES[kind] << 4) | (size & 0x0F)
        size >>= 4
        while size:
            pack.append(byte | 0x80)
            byte = size & 0x7F
            size >>= 7
        pack.append(byte)
        pack += zlib.compress(data)
    pack += hashlib.sha1(pack, usedforsecurity=False).digest()
    return bytes(pack)


# --- Git smart HTTP ----------------------------------------------------------------------------------------------


def pkt_line(payload: bytes) -> bytes:
    if len(payload) > MAX_PKT_PAYLOAD:
        raise GitSeedError(f"pkt-line payload of {len(payload)} bytes is too long")
    return b"%04x" % (len(payload) + 4) + payload


def read_pkt_lines(data: bytes, where: str) -> list[bytes | None]:
    """The pkt-lines of ``data``; a flush packet is None."""
    lines: list[bytes | None] = []
    offset = 0
    while offset < len(data):
        head = data[offset : offset + 4]
        try:
            length = int(head, 16)
        except ValueError:
            raise GitSeedError(f"{where}: malformed pkt-line length {head!r}") from None
        if length in (0, 1, 2):  # flush, delim, response-end
            lines.append(None)
            offset += 4
            continue
        if length < 4 or offset + length > len(data):
            raise GitSeedError(f"{where}: truncated or malformed pkt-line")
        lines.append(data[offset + 4 : offset + length])
        offset += length
    return lines


@dataclass(frozen=True)
class Advertisement:
    """The refs and capabilities a receive-pack advertises."""

    refs: dict[str, str]
    capabilities: frozenset[str]

    def has(self, capability: str) -> bool:
        return capability in self.capabilities or any(c.startswith(capability + "=") for c in self.capabilities)


def parse_advertisement(data: bytes, where: str) -> Advertisement:
    try:
        lines = read_pkt_lines(data, where)
    except GitSeedError as exc:
        raise GitSeedError(f"{where} did not answer as a git smart-HTTP server ({exc})") from None
    first = lines.pop(0) if lines else None
    if first is None or first.rstrip(b"\n") != b"# service=git-receive-pack":
        raise GitSeedError(f"{where} did not answer as a git smart-HTTP server (no '# service=' line)")
    if lines and lines[0] is None:
        lines.pop(0)
    refs: dict[str, str] = {}
    capabilities: frozenset[str] = frozenset()
    for number, line in enumerate(lines):
        if line is None:
            break
        text = line.rstrip(b"\n").decode("utf-8", "replace")
        if text.startswith("ERR "):
            raise GitSeedError(f"{where} refused: {text[4:]}")
        if number == 0 and text == "version 1":
            continue
        if "\0" in text:
            text, _, caps = text.partition("\0")
            capabilities = frozenset(caps.split())
        oid, _, name = text.partition(" ")
        if oid.startswith("shallow") or name.endswith("^{}"):
            continue
        if not re.fullmatch(r"[0-9a-f]{40}", oid) or not name:
            raise GitSeedError(f"{where}: unexpected ref advertisement line {text[:100]!r}")
        refs[name] = oid
    return Advertisement(refs=refs, capabilities=capabilities)


def parse_report(data: bytes, where: str) -> dict[str, str | None]:
    """The report-status of a push: ref -> None when updated, else the server's reason."""
    lines = [line for line in read_pkt_lines(data, where) if line is not None]
    if not lines:
        raise GitSeedError(f"{where}: the server sent no report-status")
    unpack = lines[0].rstrip(b"\n").decode("utf-8", "replace")
    if unpack != "unpack ok":
        reason = unpack.removeprefix("unpack ")
        raise GitSeedError(f"{where}: the server could not unpack the pushed objects: {reason}")
    results: dict[str, str | None] = {}
    for line in lines[1:]:
        text = line.rstrip(b"\n").decode("utf-8", "replace")
        status, _, rest = text.partition(" ")
        if status == "ok":
            results[rest] = None
        elif status == "ng":
            ref, _, reason = rest.partition(" ")
            results[ref] = reason or "refused"
        else:
            raise GitSeedError(f"{where}: unexpected report-status line {text[:100]!r}")
    return results


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


Opener = Callable[[urllib.request.Request, float], Any]


def default_opener() -> Opener:
    opener = urllib.request.build_opener(_NoRedirect())

    def open_request(request: urllib.request.Request, timeout: float) -> Any:
        return opener.open(request, timeout=timeout)

    return open_request


class GitHttp:
    """A git smart-HTTP client for one repository: reads the receive-pack refs and pushes packs."""

    def __init__(self, remote: Remote, opener: Opener | None = None, timeout: float = HTTP_TIMEOUT_SECONDS) -> None:
        self.remote = remote
        self.opener = opener or default_opener()
        self.timeout = timeout

    def _scrub(self, text: str) -> str:
        """``text`` without the password, the session token a codeconnections username holds, or the header."""
        session_token = self.remote.username.partition("%")[2]
        for secret in (self.remote.authorization, self.remote.password, session_token):
            if secret:
                text = text.replace(secret, "***")
        return text

    def _call(self, path: str, body: bytes | None = None) -> tuple[str, bytes]:
        url = self.remote.url + path
        shown = url.split("?")[0]
        headers = {
            "Authorization": self.remote.authorization,
            "User-Agent": f"git/2.0 (mlops-templates/{__version__})",
            "Accept": "*/*",
        }
        if body is not None:
            headers["Content-Type"] = "application/x-git-receive-pack-request"
            headers["Accept"] = "application/x-git-receive-pack-result"
        request = urllib.request.Request(url, data=body, headers=headers, method="GET" if body is None else "POST")
        try:
            with self.opener(request, self.timeout) as response:
                return str(response.headers.get("Content-Type", "")), bytes(response.read())
        except urllib.error.HTTPError as exc:
            try:
                detail = self._scrub(exc.read(500).decode("utf-8", "replace").strip()) if exc.fp else ""
            except (OSError, http.client.HTTPException):
                detail = ""
            detail = f": {detail}" if detail else ""
            if exc.code in (401, 403):
                raise GitSeedError(
                    f"the credentials of {self.remote.credential_source} were refused by {shown} "
                    f"(HTTP {exc.code}){detail}"
                ) from None
            if exc.code == 404:
                raise GitSeedError(
                    f"repository {self.remote.repository} not found at {shown} (HTTP 404): check the repository "
                    f"and that {self.remote.credential_source} can reach it"
                ) from None
            if 300 <= exc.code < 400:
                raise GitSeedError(
                    f"{shown} redirects to {exc.headers.get('Location')!r} (HTTP {exc.code}); redirects are not "
                    "followed: give the final repository URL"
                ) from None
            raise GitSeedError(
                f"{'POST' if body else 'GET'} {shown} (repository {self.remote.repository}) failed: "
                f"HTTP {exc.code} {exc.reason}{detail}"
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            raise GitSeedError(
                f"cannot reach {shown} (repository {self.remote.repository}): {self._scrub(str(reason))}"
            ) from None

    def advertisement(self) -> Advertisement:
        """The refs and capabilities of the repository's receive-pack."""
        where = f"{self.remote.url} (repository {self.remote.repository})"
        content_type, body = self._call("/info/refs?service=git-receive-pack")
        if content_type.split(";")[0].strip() != "application/x-git-receive-pack-advertisement":
            raise GitSeedError(
                f"{where} did not answer as a git smart-HTTP server (Content-Type {content_type!r}): is it a git "
                "repository URL, and does the server support pushing over HTTP?"
            )
        advert = parse_advertisement(body, where)
        if not advert.has("report-status"):
            raise GitSeedError(f"{where}: the server does not offer report-status")
        object_format = next((c for c in advert.capabilities if c.startswith("object-format=")), "")
        if object_format not in ("", "object-format=sha1"):
            raise GitSeedError(f"{where} uses {object_format}; only SHA-1 repositories are supported")
        return advert

    def push(
        self, commands: Sequence[tuple[str, str, str]], pack: bytes | None, advert: Advertisement
    ) -> dict[str, str | None]:
        """Send ref update commands (old, new, ref) and a pack; return what the server reports per ref."""
        capabilities = ["report-status"]
        if len(commands) > 1 and advert.has("atomic"):
            capabilities.append("atomic")
        if advert.has("agent"):
            capabilities.append(f"agent=mlops-templates/{__version__}")
        body = bytearray()
        for index, (old, new, ref) in enumerate(commands):
            line = f"{old} {new} {ref}"
            if index == 0:
                line += "\0" + " ".join(capabilities)
            body += pkt_line(line.encode("utf-8"))
        body += b"0000"
        if any(new != ZERO_ID for _, new, _ in commands):
            body += pack if pack is not None else write_pack([])
        where = f"push to {self.remote.repository} ({', '.join(ref for _, _, ref in commands)})"
        _, answer = self._call("/git-receive-pack", bytes(body))
        results = parse_report(answer, where)
        for _, _, ref in commands:
            results.setdefault(ref, "not reported by the server")
        return results


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


def _skipped(request: SeedRequest, remote: Remote, head: str) -> dict[str, Any]:
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

    def __init__(self, request: SeedRequest, remote: Remote, git: GitHttp) -> None:
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

    def delete_staging(self, advert: Advertisement, allowed: set[str]) -> None:
        """Delete the staging branch when it is at one of the ``allowed`` commits (best effort: logs failures)."""
        staged = advert.refs.get(self.request.staging_ref)
        if staged is None or staged not in allowed:
            return
        if not advert.has("delete-refs"):
            LOG.warning("%s does not allow deleting refs: staging branch %s left", self.remote.repository, self.staging)
            return
        try:
            result = self.git.push([(staged, ZERO_ID, self.request.staging_ref)], None, advert)
            reason = result[self.request.staging_ref]
        except GitSeedError as exc:
            reason = str(exc)
        if reason is not None:
            LOG.warning("staging branch %s of %s not deleted: %s", self.staging, self.remote.repository, reason)

    def run(self, advert: Advertisement, parts: list[Part], files: int) -> dict[str, Any]:
        request, target, staging_ref = self.request, self.request.target_ref, self.request.staging_ref
        last = parts[-1].commit
        self.commits = [part.commit for part in parts]
        resumed = 0
        if len(parts) == 1:
            result = self.git.push([(ZERO_ID, last, target)], write_pack(parts[0].objects), advert)
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
            old = staged or ZERO_ID
            resumed = self.commits.index(staged) + 1 if staged is not None else 0
            if resumed:
                LOG.info("%s is at part %d/%d: resuming", self.staging, resumed, len(parts))
            for part in parts[resumed:]:
                LOG.info("pushing part %d/%d (%d objects)", part.number, len(parts), len(part.objects))
                result = self.git.push([(old, part.commit, staging_ref)], write_pack(part.objects), advert)
                if result[staging_ref] is not None:
                    return self.refused(staging_ref, str(result[staging_ref]))
                old = part.commit
            create = (ZERO_ID, last, target)
            delete = (last, ZERO_ID, staging_ref)
            if advert.has("atomic") and advert.has("delete-refs"):
                result = self.git.push([create, delete], None, advert)
            else:
                result = self.git.push([create], None, advert)
                if result[target] is None:
                    self.delete_staging(Advertisement({staging_ref: last}, advert.capabilities), {last})
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


def seed(request: SeedRequest, remote: Remote, s3: Any, opener: Opener | None = None) -> dict[str, Any]:
    """Push the seed zip of ``request`` to ``remote`` unless its branch exists; returns a summary."""
    git = GitHttp(remote, opener)
    advert = git.advertisement()
    head = advert.refs.get(request.target_ref)
    if head is not None:
        _Seeder(request, remote, git).delete_staging(advert, {head})  # left by an interrupted non-atomic finish
        return _skipped(request, remote, head)
    files, when = read_seed_files(download(s3, request), request.location)
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
    opener: Opener | None = None,
) -> dict[str, Any]:
    """Validate ``event``, resolve its remote (a secret through ``secretsmanager``, a connection with
    ``credentials``) and seed the branch. ``endpoint_url`` defaults to the environment's GIT_HTTP_ENDPOINT_URL."""
    request = SeedRequest.from_event(event)
    endpoint = endpoint_url if endpoint_url is not None else os.environ.get(ENDPOINT_ENV) or None
    if isinstance(request.remote, ConnectionRemote):
        if credentials is None:
            raise GitSeedError(f"no AWS credentials to sign in to connection {request.remote.connection_arn}")
        remote = connection_remote(request.remote, credentials, now or datetime.now(UTC), endpoint)
    else:
        if secretsmanager is None:
            raise GitSeedError(f"no Secrets Manager client to read secret {request.remote.secret_arn}")
        remote = secret_remote(request.remote, secretsmanager, endpoint)
    LOG.info("seeding %s:%s from %s", remote.repository, request.branch, request.location)
    return seed(request, remote, s3, opener)


def handler(event: Mapping[str, Any], context: object) -> dict[str, Any]:
    """Lambda entry point (``git_seed.handler``)."""
    del context
    request = SeedRequest.from_event(event)
    session = boto3.session.Session()
    secretsmanager: Any = None
    credentials: ReadOnlyCredentials | None = None
    if isinstance(request.remote, SecretRemote):
        match = SECRET_ARN_RE.match(request.remote.secret_arn)
        region = match["region"] if match else None  # the secret's own region
        secretsmanager = session.client("secretsmanager", region_name=region)
    else:
        try:
            found = session.get_credentials()
        except BotoCoreError as exc:
            raise GitSeedError(f"no AWS credentials for connection {request.remote.connection_arn}: {exc}") from exc
        credentials = found.get_frozen_credentials() if found is not None else None
    return push(event, s3=session.client("s3"), secretsmanager=secretsmanager, credentials=credentials)
