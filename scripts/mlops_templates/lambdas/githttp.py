"""Git's smart-HTTP protocol for the Lambda functions: remotes, pushing packs, fetching one commit.

A library shared by the git functions (``git_seed``, ``git_webhook``): ``mlops-templates package`` puts this file
next to the handler in each of their zips, where the handler imports it as a top-level module::

    try:
        from . import githttp  # in the package (tests)
    except ImportError:
        import githttp  # in the Lambda zip

It speaks git's smart-HTTP protocol v0/v1 itself (no git binary, no git library) and imports only the standard
library and boto3/botocore.

Remotes (:class:`Remote`: a URL and HTTP basic credentials):

* :func:`connection_remote`: a repository behind an AWS CodeConnections connection, at
  ``https://codeconnections.<region>.amazonaws.com/git-http/<account>/<region>/<connection id>/<owner/repo>.git``
  (``codestar-connections.<region>...`` for a ``codestar-connections`` ARN), signed in with the password
  ``aws codecommit credential-helper`` computes from AWS credentials (a SigV4 signature of the repository URL for the
  ``codecommit`` service, which the CodeConnections git-http proxy accepts);
* :func:`secret_remote`: an ``https`` URL signed in with HTTP basic auth from a Secrets Manager secret whose
  ``SecretString`` is ``{"username": ..., "token": ..., "url": ...}`` (``url`` optional).

The environment variable ``GIT_HTTP_ENDPOINT_URL`` (e.g. ``http://127.0.0.1:8080``; for tests and proxies) replaces
the scheme and host of either URL; the path is kept, and the codeconnections signature is computed over the URL
actually requested. Redirects are never followed (they would carry the credentials elsewhere).

:class:`GitHttp` is the client of one repository:

* :meth:`GitHttp.advertisement` reads the refs of ``git-receive-pack`` or ``git-upload-pack``;
* :meth:`GitHttp.push` sends ref updates and a pack (:func:`write_pack` writes undeltified v2 packs; the objects come
  from :func:`write_tree` and :func:`object_id`);
* :meth:`GitHttp.fetch_commit` fetches one commit with ``git-upload-pack`` (``want <sha>``, ``deepen 1`` when the
  server offers ``shallow``, ``ofs-delta``, no side-band, no thin pack), parses the v2 pack (OFS_DELTA and REF_DELTA
  objects resolved, the trailing SHA-1 checked) and walks the commit's tree into files (:class:`Snapshot`). Regular
  files keep their mode (100644 or 100755); symbolic links (120000) and submodules (160000) are logged and skipped.

Errors are :class:`GitError` subclasses whose messages name the repository, secret, connection or setting at fault;
tokens, passwords and session tokens never appear in messages or logs.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import http.client
import json
import logging
import re
import struct
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import ReadOnlyCredentials
from botocore.exceptions import ClientError

LOG = logging.getLogger(__name__)
LOG.setLevel(logging.INFO)

ZERO_ID = "0" * 40
HTTP_TIMEOUT_SECONDS = 120.0
ENDPOINT_ENV = "GIT_HTTP_ENDPOINT_URL"
MODE_NORMAL = "100644"
MODE_EXECUTABLE = "100755"
MODE_TREE = "40000"
OBJECT_TYPES = {"commit": 1, "tree": 2, "blob": 3, "tag": 4}
TYPE_NAMES = {number: name for name, number in OBJECT_TYPES.items()}
OFS_DELTA = 6
REF_DELTA = 7
MAX_PKT_PAYLOAD = 65516
MAX_FETCH_BYTES = 256 * 1024 * 1024  # the upload-pack answer (the pack), compressed
MAX_OBJECT_BYTES = 256 * 1024 * 1024  # one object, inflated
MAX_INFLATED_BYTES = 1024 * 1024 * 1024  # all objects of a pack, inflated (and again once deltas are applied)
MAX_FILES = 100_000  # files of one commit's tree
DEFAULT_AGENT = "mlops-templates"

CONNECTION_ARN_RE = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):(?P<service>codeconnections|codestar-connections):(?P<region>[a-z0-9-]+):"
    r"(?P<account>[0-9]{12}):connection/(?P<id>[0-9A-Za-z-]+)$"
)
SECRET_ARN_RE = re.compile(r"^arn:aws[a-z-]*:secretsmanager:(?P<region>[a-z0-9-]+):[0-9]{12}:secret:.+$")
REPOSITORY_ID_RE = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$")
OBJECT_ID_RE = re.compile(r"^[0-9a-f]{40}$")
# git check-ref-format, for one branch name.
BAD_REF_RE = re.compile(r"(^|/)\.|\.\.|[\x00-\x20\x7f~^:?*\[\\]|@\{|//|\.lock(/|$)|^/|/$|\.$|^-|^@$")


# --- Errors ------------------------------------------------------------------------------------------------------


class GitError(Exception):
    """A git operation failed; the message names the repository (or the secret, connection or setting) at fault and
    never holds a token or password."""


class GitConfigError(GitError):
    """A remote is misconfigured: an invalid ARN, URL or endpoint, or a secret that cannot be read or lacks fields."""


class GitTransportError(GitError):
    """The server could not be reached, or answered with an HTTP error, a redirect or too much data."""


class GitAuthError(GitTransportError):
    """The server refused the credentials (HTTP 401 or 403)."""


class GitNotFoundError(GitTransportError):
    """The server has no such repository (HTTP 404)."""


class GitProtocolError(GitError):
    """The server's answer is not the git protocol expected: not smart HTTP, malformed pkt-lines, an ERR line..."""


class PackError(GitProtocolError):
    """A fetched pack is malformed: bad header or checksum, corrupt zlib data, a bad delta, a missing object."""


def is_text(value: object) -> bool:
    """A non-blank string."""
    return isinstance(value, str) and bool(value.strip())


def is_valid_branch(name: str) -> bool:
    """``name`` is a valid git branch name (``git check-ref-format --branch``)."""
    return bool(name) and BAD_REF_RE.search(name) is None and not name.endswith(".lock")


# --- Remotes -----------------------------------------------------------------------------------------------------


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
class Remote:
    """Where and how to reach a repository: the URL as requested, and HTTP basic credentials."""

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
        raise GitConfigError(
            f"{ENDPOINT_ENV} must be an http(s) URL such as http://127.0.0.1:8080, got {endpoint_url!r}"
        )
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((endpoint.scheme, endpoint.netloc, parts.path, "", ""))


def connection_url(connection_arn: str, full_repository_id: str) -> tuple[str, str]:
    """The CodeConnections git-http URL of a repository, and the connection's region."""
    match = CONNECTION_ARN_RE.match(connection_arn)
    if match is None:
        raise GitConfigError(f"{connection_arn!r} is not a CodeConnections connection ARN")
    if not REPOSITORY_ID_RE.match(full_repository_id) or ".." in full_repository_id.split("/"):
        raise GitConfigError(
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
        raise GitConfigError(f"no AWS credentials to sign in to connection {spec.connection_arn}")
    username = credentials.access_key + (f"%{credentials.token}" if credentials.token else "")
    return Remote(
        url=url,
        username=username,
        password=codecommit_password(url, region, credentials, now),
        credential_source=f"connection {spec.connection_arn}",
        repository=spec.full_repository_id,
    )


def secret_region(secret_arn: str) -> str | None:
    """The region of a Secrets Manager secret ARN (None when it is not one)."""
    match = SECRET_ARN_RE.match(secret_arn)
    return match["region"] if match else None


def read_secret(secretsmanager: Any, arn: str) -> dict[str, Any]:
    """The JSON object a Secrets Manager secret holds."""
    try:
        response = secretsmanager.get_secret_value(SecretId=arn)
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        raise GitConfigError(f"secret {arn} cannot be read ({code})") from exc
    raw = response.get("SecretString")
    try:
        value = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise GitConfigError(f'secret {arn} must hold a JSON object {{"username": ..., "token": ..., "url": ...}}')
    return value


def remote_from_secret(
    arn: str, value: Mapping[str, Any], repository_url: str | None, endpoint_url: str | None
) -> Remote:
    """The remote of ``repository_url`` (else the secret's ``url``) signed in with the secret's username and token."""
    bad = [key for key in ("username", "token") if not is_text(value.get(key))]
    if "url" in value and not isinstance(value["url"], str):
        bad.append("url")
    if bad:
        raise GitConfigError(f"secret {arn} has no valid (non-empty string) field(s): {', '.join(bad)}")
    url = repository_url or value.get("url")
    if not url:
        raise GitConfigError(f"no repository URL: set remote.repository_url in the event or url in secret {arn}")
    parts = urllib.parse.urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise GitConfigError(f"the repository URL (event or secret {arn}) must not hold credentials")
    if parts.scheme != "https" or not parts.hostname:
        raise GitConfigError(f"repository URL {url!r} (secret {arn}) must be an https:// URL")
    if parts.query or parts.fragment:
        raise GitConfigError(f"repository URL {url!r} (secret {arn}) must not have a query or fragment")
    return Remote(
        url=with_endpoint(url.rstrip("/"), endpoint_url),
        username=value["username"],
        password=value["token"],
        credential_source=f"secret {arn}",
        repository=url.rstrip("/"),
    )


def secret_remote(spec: SecretRemote, secretsmanager: Any, endpoint_url: str | None) -> Remote:
    """The remote of a repository whose username and token are in a Secrets Manager secret."""
    value = read_secret(secretsmanager, spec.secret_arn)
    return remote_from_secret(spec.secret_arn, value, spec.repository_url, endpoint_url)


# --- Objects, trees and packs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class File:
    """A file of a tree: its path (``/``-separated), content, and whether it is executable."""

    path: str
    content: bytes
    executable: bool

    @property
    def mode(self) -> str:
        return MODE_EXECUTABLE if self.executable else MODE_NORMAL


def object_id(kind: str, data: bytes) -> str:
    digest = hashlib.sha1(f"{kind} {len(data)}\0".encode(), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()


Objects = dict[str, tuple[str, bytes]]  # object id -> (type, content), in the order written


def write_tree(files: Sequence[File], objects: Objects, location: str) -> str:
    """Add the blobs and trees of ``files`` to ``objects``; return the root tree's id."""
    root: dict[str, Any] = {}
    for item in files:
        *dirs, name = item.path.split("/")
        node = root
        for index, part in enumerate(dirs):
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise GitError(f"{location}: {'/'.join(dirs[: index + 1])} is both a file and a directory")
            node = child
        if name in node:
            raise GitError(f"{location}: {item.path} is both a file and a directory")
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


@dataclass(frozen=True)
class Pack:
    """The objects of a parsed pack (deltas resolved) and how many of each type the pack held as sent
    (``commit``, ``tree``, ``blob``, ``tag``, ``ofs-delta``, ``ref-delta``)."""

    objects: Objects
    counts: dict[str, int]


@dataclass
class _Entry:
    kind: int
    data: bytes
    base_offset: int | None = None
    base_id: str | None = None


def _inflate(view: memoryview, pos: int, end: int, size: int, where: str) -> tuple[bytes, int]:
    """The ``size`` bytes the zlib stream at ``pos`` inflates to, and the offset after the stream."""
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    produced = 0
    step = min(max(size + 64, 512), 1 << 20)
    try:
        while not inflater.eof:
            chunk: bytes | memoryview = inflater.unconsumed_tail
            if not chunk:
                if pos >= end:
                    raise PackError(f"{where}: truncated pack (an object's data ends early)")
                chunk = view[pos : min(pos + step, end)]
                pos += len(chunk)
                step = min(step * 2, 1 << 22)
            out = inflater.decompress(chunk, size - produced + 1)
            produced += len(out)
            if produced > size:
                raise PackError(f"{where}: corrupt pack (an object inflates to more than its stated {size} bytes)")
            parts.append(out)
    except zlib.error as exc:
        raise PackError(f"{where}: corrupt pack (zlib: {exc})") from None
    if produced != size:
        raise PackError(f"{where}: corrupt pack (an object inflates to {produced} bytes, not {size})")
    return b"".join(parts), pos - len(inflater.unused_data)


def _delta_size(delta: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = delta[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def apply_delta(base: bytes, delta: bytes, where: str, max_size: int = MAX_OBJECT_BYTES) -> bytes:
    """The object a git delta (copy and insert instructions) makes of ``base``."""
    try:
        source_size, pos = _delta_size(delta, 0)
        target_size, pos = _delta_size(delta, pos)
        if source_size != len(base):
            raise PackError(f"{where}: corrupt pack (a delta expects a base of {source_size} bytes, not {len(base)})")
        if target_size > max_size:
            raise PackError(f"{where}: a delta makes an object of {target_size} bytes, over the limit of {max_size}")
        source = memoryview(base)
        out = bytearray()
        end = len(delta)
        while pos < end:
            op = delta[pos]
            pos += 1
            if op & 0x80:  # copy from the base
                offset = size = 0
                for index in range(4):
                    if op & (1 << index):
                        offset |= delta[pos] << (8 * index)
                        pos += 1
                for index in range(3):
                    if op & (0x10 << index):
                        size |= delta[pos] << (8 * index)
                        pos += 1
                size = size or 0x10000
                if offset + size > len(base):
                    raise PackError(f"{where}: corrupt pack (a delta copies beyond its base)")
                out += source[offset : offset + size]
            elif op:  # insert the next op bytes
                if pos + op > end:
                    raise PackError(f"{where}: corrupt pack (a delta ends inside an insert)")
                out += delta[pos : pos + op]
                pos += op
            else:
                raise PackError(f"{where}: corrupt pack (reserved delta instruction 0)")
            if len(out) > target_size:
                raise PackError(f"{where}: corrupt pack (a delta makes more than its stated {target_size} bytes)")
    except IndexError:
        raise PackError(f"{where}: corrupt pack (truncated delta)") from None
    if len(out) != target_size:
        raise PackError(f"{where}: corrupt pack (a delta makes {len(out)} bytes, not {target_size})")
    return bytes(out)


def parse_pack(
    data: bytes,
    where: str,
    max_object_bytes: int = MAX_OBJECT_BYTES,
    max_inflated_bytes: int = MAX_INFLATED_BYTES,
) -> Pack:
    """The objects of a version 2 (or 3) pack, its trailing SHA-1 checked and every delta resolved."""
    if len(data) < 32 or data[:4] != b"PACK":
        raise PackError(f"{where}: the answer holds no git pack")
    version, count = struct.unpack(">II", data[4:12])
    if version not in (2, 3):
        raise PackError(f"{where}: unsupported pack version {version}")
    view = memoryview(data)
    end = len(data) - 20
    if hashlib.sha1(view[:end], usedforsecurity=False).digest() != data[end:]:
        raise PackError(f"{where}: the pack's trailing SHA-1 does not match its content (corrupt or truncated pack)")
    entries: dict[int, _Entry] = {}
    counts: Counter[str] = Counter()
    pos, total = 12, 0
    try:
        for _ in range(count):
            start = pos
            byte = data[pos]
            pos += 1
            kind, size, shift = (byte >> 4) & 7, byte & 0x0F, 4
            while byte & 0x80:
                byte = data[pos]
                pos += 1
                size |= (byte & 0x7F) << shift
                shift += 7
            entry = _Entry(kind, b"")
            if kind == OFS_DELTA:
                byte = data[pos]
                pos += 1
                distance = byte & 0x7F
                while byte & 0x80:
                    byte = data[pos]
                    pos += 1
                    distance = ((distance + 1) << 7) | (byte & 0x7F)
                entry.base_offset = start - distance
                if distance <= 0 or entry.base_offset not in entries:
                    raise PackError(f"{where}: corrupt pack (an OFS_DELTA at offset {start} has no base object)")
                counts["ofs-delta"] += 1
            elif kind == REF_DELTA:
                if pos + 20 > end:
                    raise IndexError(pos)
                entry.base_id = data[pos : pos + 20].hex()
                pos += 20
                counts["ref-delta"] += 1
            elif kind in TYPE_NAMES:
                counts[TYPE_NAMES[kind]] += 1
            else:
                raise PackError(f"{where}: corrupt pack (object type {kind} at offset {start})")
            if size > max_object_bytes:
                raise PackError(f"{where}: an object of {size} bytes exceeds the limit of {max_object_bytes}")
            total += size
            if total > max_inflated_bytes:
                raise PackError(f"{where}: the pack inflates to more than {max_inflated_bytes} bytes")
            if pos >= end:
                raise IndexError(pos)
            entry.data, pos = _inflate(view, pos, end, size, where)
            entries[start] = entry
    except IndexError:
        raise PackError(f"{where}: truncated pack (object headers end early)") from None
    if pos != end:
        raise PackError(f"{where}: corrupt pack ({end - pos} bytes after the {count} objects it announces)")
    return Pack(objects=_resolve(entries, where, max_object_bytes, max_inflated_bytes - total), counts=dict(counts))


def _resolve(entries: dict[int, _Entry], where: str, max_object_bytes: int, budget: int) -> Objects:
    """Every object of the pack by id, deltas applied (their chains followed iteratively, in as many passes as
    REF_DELTA objects whose base is itself a delta need); the objects deltas make may add up to ``budget`` bytes."""
    objects: Objects = {}
    resolved: dict[int, tuple[str, bytes]] = {}
    for offset, entry in entries.items():
        if entry.kind in TYPE_NAMES:
            kind = TYPE_NAMES[entry.kind]
            resolved[offset] = (kind, entry.data)
            objects[object_id(kind, entry.data)] = (kind, entry.data)
    pending = [offset for offset in entries if offset not in resolved]
    while pending:
        waiting: list[int] = []
        for offset in pending:
            chain: list[int] = []
            current: int | None = offset
            base: tuple[str, bytes] | None = None
            while current is not None and base is None:
                if current in resolved:
                    base = resolved[current]
                    break
                entry = entries[current]
                chain.append(current)
                if entry.base_offset is not None:
                    current = entry.base_offset
                else:
                    base = objects.get(entry.base_id or "")
                    current = None
            if base is None:
                waiting.append(offset)
                continue
            kind, content = base
            for link in reversed(chain):
                content = apply_delta(content, entries[link].data, where, min(max_object_bytes, budget))
                budget -= len(content)
                resolved[link] = (kind, content)
                objects[object_id(kind, content)] = (kind, content)
        if len(waiting) == len(pending):
            missing = sorted({str(entries[offset].base_id) for offset in waiting})
            raise PackError(f"{where}: the pack lacks the base object(s) of {len(waiting)} delta(s): {missing[:3]}")
        pending = waiting
    return objects


# --- Commits and their trees -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """The files of one commit: regular files sorted by path; symbolic links and submodules skipped (path, kind)."""

    commit: str
    tree: str
    committer_time: int  # seconds since the epoch
    files: list[File]
    skipped: list[tuple[str, str]]
    object_counts: dict[str, int] = field(default_factory=dict)  # the pack's objects by type, as sent


def parse_tree(data: bytes, where: str) -> list[tuple[int, bytes, str]]:
    """The entries (mode, name, object id) of a tree object."""
    entries: list[tuple[int, bytes, str]] = []
    pos = 0
    while pos < len(data):
        space = data.find(b" ", pos)
        nul = data.find(b"\0", space + 1)
        if space < 0 or nul < 0 or nul + 21 > len(data):
            raise PackError(f"{where}: malformed tree object")
        try:
            mode = int(data[pos:space], 8)
        except ValueError:
            raise PackError(f"{where}: malformed tree object (mode {data[pos:space]!r})") from None
        entries.append((mode, data[space + 1 : nul], data[nul + 1 : nul + 21].hex()))
        pos = nul + 21
    return entries


def _unsafe_name(name: str) -> bool:
    return name in ("", ".", "..") or "/" in name or "\0" in name or name.lower() == ".git"


def read_snapshot(
    objects: Objects, commit: str, where: str, max_files: int = MAX_FILES, max_bytes: int = MAX_INFLATED_BYTES
) -> Snapshot:
    """The files of ``commit``'s tree, read from ``objects`` (at most ``max_files`` files of ``max_bytes`` in all:
    trees may share subtrees, so a small pack can describe a huge tree)."""
    kind, data = objects.get(commit, ("", b""))
    if kind != "commit":
        raise PackError(f"{where}: the pack does not hold commit {commit}")
    tree = ""
    committer_time: int | None = None
    for line in data.split(b"\n\n", 1)[0].decode("utf-8", "replace").split("\n"):
        key, _, value = line.partition(" ")
        if key == "tree" and not tree:
            tree = value
        elif key == "committer" and committer_time is None:
            stamp = re.search(r"> (-?[0-9]+)(?: [+-][0-9]{4})?$", value)
            committer_time = int(stamp[1]) if stamp else None
    if not OBJECT_ID_RE.match(tree) or committer_time is None:
        raise PackError(f"{where}: malformed commit {commit}")
    files: list[File] = []
    skipped: list[tuple[str, str]] = []
    total = 0
    stack = [("", tree)]
    while stack:
        prefix, tree_id = stack.pop()
        tree_kind, tree_data = objects.get(tree_id, ("", b""))
        if tree_kind != "tree":
            raise PackError(f"{where}: the pack does not hold tree {tree_id} ({prefix or 'the root'})")
        for mode, raw, oid in parse_tree(tree_data, where):
            try:
                name = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise PackError(f"{where}: {prefix}{raw!r} is not a UTF-8 file name") from None
            path = prefix + name
            if _unsafe_name(name):
                raise PackError(f"{where}: unsafe path {path!r} in commit {commit}")
            file_type = mode & 0o170000
            if file_type == 0o040000:
                stack.append((path + "/", oid))
            elif file_type == 0o100000:
                blob_kind, content = objects.get(oid, ("", b""))
                if blob_kind != "blob":
                    raise PackError(f"{where}: the pack does not hold blob {oid} ({path})")
                files.append(File(path=path, content=content, executable=bool(mode & 0o100)))
                total += len(content)
                if len(files) > max_files or total > max_bytes:
                    raise PackError(f"{where}: commit {commit} has more than {max_files} files or {max_bytes} bytes")
            elif file_type in (0o120000, 0o160000):
                what = "symbolic link" if file_type == 0o120000 else "submodule"
                LOG.warning("%s: %s is a %s: skipped", where, path, what)
                skipped.append((path, what))
            else:
                raise PackError(f"{where}: {path} has an unknown mode {mode:o}")
    files.sort(key=lambda item: item.path)
    skipped.sort()
    return Snapshot(commit=commit, tree=tree, committer_time=committer_time, files=files, skipped=skipped)


# --- Git smart HTTP ----------------------------------------------------------------------------------------------


def pkt_line(payload: bytes) -> bytes:
    if len(payload) > MAX_PKT_PAYLOAD:
        raise GitError(f"pkt-line payload of {len(payload)} bytes is too long")
    return b"%04x" % (len(payload) + 4) + payload


def read_pkt_line(data: bytes, offset: int, where: str) -> tuple[bytes | None, int]:
    """The pkt-line at ``offset`` (None for a flush, delim or response-end packet) and the offset after it."""
    head = data[offset : offset + 4]
    try:
        length = int(head, 16)
    except ValueError:
        raise GitProtocolError(f"{where}: malformed pkt-line length {head!r}") from None
    if length in (0, 1, 2):
        return None, offset + 4
    if length < 4 or offset + length > len(data):
        raise GitProtocolError(f"{where}: truncated or malformed pkt-line")
    return data[offset + 4 : offset + length], offset + length


def read_pkt_lines(data: bytes, where: str) -> list[bytes | None]:
    """The pkt-lines of ``data``; a flush packet is None."""
    lines: list[bytes | None] = []
    offset = 0
    while offset < len(data):
        line, offset = read_pkt_line(data, offset, where)
        lines.append(line)
    return lines


@dataclass(frozen=True)
class Advertisement:
    """The refs and capabilities a receive-pack or upload-pack advertises."""

    refs: dict[str, str]
    capabilities: frozenset[str]

    def has(self, capability: str) -> bool:
        return capability in self.capabilities or any(c.startswith(capability + "=") for c in self.capabilities)


def parse_advertisement(data: bytes, where: str, service: str = "git-receive-pack") -> Advertisement:
    try:
        lines = read_pkt_lines(data, where)
    except GitProtocolError as exc:
        raise GitProtocolError(f"{where} did not answer as a git smart-HTTP server ({exc})") from None
    first = lines.pop(0) if lines else None
    if first is None or first.rstrip(b"\n") != f"# service={service}".encode():
        raise GitProtocolError(f"{where} did not answer as a git smart-HTTP server (no '# service=' line)")
    if lines and lines[0] is None:
        lines.pop(0)
    refs: dict[str, str] = {}
    capabilities: frozenset[str] = frozenset()
    for number, line in enumerate(lines):
        if line is None:
            break
        text = line.rstrip(b"\n").decode("utf-8", "replace")
        if text.startswith("ERR "):
            raise GitProtocolError(f"{where} refused: {text[4:]}")
        if number == 0 and text == "version 1":
            continue
        if "\0" in text:
            text, _, caps = text.partition("\0")
            capabilities = frozenset(caps.split())
        oid, _, name = text.partition(" ")
        if oid.startswith("shallow") or name.endswith("^{}"):
            continue
        if not OBJECT_ID_RE.match(oid) or not name:
            raise GitProtocolError(f"{where}: unexpected ref advertisement line {text[:100]!r}")
        refs[name] = oid
    return Advertisement(refs=refs, capabilities=capabilities)


def parse_report(data: bytes, where: str) -> dict[str, str | None]:
    """The report-status of a push: ref -> None when updated, else the server's reason."""
    lines = [line for line in read_pkt_lines(data, where) if line is not None]
    if not lines:
        raise GitProtocolError(f"{where}: the server sent no report-status")
    unpack = lines[0].rstrip(b"\n").decode("utf-8", "replace")
    if unpack != "unpack ok":
        reason = unpack.removeprefix("unpack ")
        raise GitProtocolError(f"{where}: the server could not unpack the pushed objects: {reason}")
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
            raise GitProtocolError(f"{where}: unexpected report-status line {text[:100]!r}")
    return results


def extract_pack(answer: bytes, where: str) -> bytes:
    """The pack of an upload-pack answer, after its shallow-info section and its NAK (or ACK) line."""
    offset = 0
    while offset < len(answer):
        line, offset = read_pkt_line(answer, offset, where)
        if line is None:
            continue  # the flush that ends the shallow-info section
        text = line.rstrip(b"\n").decode("utf-8", "replace")
        if text.startswith(("shallow ", "unshallow ")):
            continue
        if text == "NAK" or text.startswith("ACK "):
            if answer[offset : offset + 4] != b"PACK":
                raise GitProtocolError(f"{where}: no pack after {text!r} (got {answer[offset : offset + 8]!r})")
            return answer[offset:]
        if text.startswith("ERR "):
            raise GitProtocolError(f"{where}: the server refused: {text[4:]}")
        raise GitProtocolError(f"{where}: unexpected upload-pack line {text[:100]!r}")
    raise GitProtocolError(f"{where}: the server sent no pack")


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
    """A git smart-HTTP client for one repository: reads refs, pushes packs, fetches commits.

    ``agent`` (e.g. ``mlops-templates/1.0.0``) is sent in the User-Agent header and, when the server advertises
    ``agent``, as the client's agent capability."""

    def __init__(
        self,
        remote: Remote,
        opener: Opener | None = None,
        timeout: float = HTTP_TIMEOUT_SECONDS,
        agent: str = DEFAULT_AGENT,
    ) -> None:
        self.remote = remote
        self.opener = opener or default_opener()
        self.timeout = timeout
        self.agent = agent

    def _scrub(self, text: str) -> str:
        """``text`` without the password, the session token a codeconnections username holds, or the header."""
        session_token = self.remote.username.partition("%")[2]
        for secret in (self.remote.authorization, self.remote.password, session_token):
            if secret:
                text = text.replace(secret, "***")
        return text

    def _call(self, path: str, body: bytes | None = None, limit: int | None = None) -> tuple[str, bytes]:
        url = self.remote.url + path
        shown = url.split("?")[0]
        headers = {
            "Authorization": self.remote.authorization,
            "User-Agent": f"git/2.0 ({self.agent})",
            "Accept": "*/*",
        }
        if body is not None:
            service = path.rsplit("/", 1)[-1]  # git-receive-pack or git-upload-pack
            headers["Content-Type"] = f"application/x-{service}-request"
            headers["Accept"] = f"application/x-{service}-result"
        request = urllib.request.Request(url, data=body, headers=headers, method="GET" if body is None else "POST")
        try:
            with self.opener(request, self.timeout) as response:
                content_type = str(response.headers.get("Content-Type", ""))
                data = bytes(response.read() if limit is None else response.read(limit + 1))
        except urllib.error.HTTPError as exc:
            try:
                detail = self._scrub(exc.read(500).decode("utf-8", "replace").strip()) if exc.fp else ""
            except (OSError, http.client.HTTPException):
                detail = ""
            detail = f": {detail}" if detail else ""
            if exc.code in (401, 403):
                raise GitAuthError(
                    f"the credentials of {self.remote.credential_source} were refused by {shown} "
                    f"(HTTP {exc.code}){detail}"
                ) from None
            if exc.code == 404:
                raise GitNotFoundError(
                    f"repository {self.remote.repository} not found at {shown} (HTTP 404): check the repository "
                    f"and that {self.remote.credential_source} can reach it"
                ) from None
            if 300 <= exc.code < 400:
                raise GitTransportError(
                    f"{shown} redirects to {exc.headers.get('Location')!r} (HTTP {exc.code}); redirects are not "
                    "followed: give the final repository URL"
                ) from None
            raise GitTransportError(
                f"{'POST' if body else 'GET'} {shown} (repository {self.remote.repository}) failed: "
                f"HTTP {exc.code} {exc.reason}{detail}"
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", exc)
            raise GitTransportError(
                f"cannot reach {shown} (repository {self.remote.repository}): {self._scrub(str(reason))}"
            ) from None
        if limit is not None and len(data) > limit:
            raise GitTransportError(f"{shown} (repository {self.remote.repository}) answered more than {limit} bytes")
        return content_type, data

    def advertisement(self, service: str = "git-receive-pack") -> Advertisement:
        """The refs and capabilities of the repository's ``git-receive-pack`` (or ``git-upload-pack``)."""
        where = f"{self.remote.url} (repository {self.remote.repository})"
        content_type, body = self._call(f"/info/refs?service={service}")
        if content_type.split(";")[0].strip() != f"application/x-{service}-advertisement":
            question = "is it a git repository URL"
            if service == "git-receive-pack":
                question += ", and does the server support pushing over HTTP"
            raise GitProtocolError(
                f"{where} did not answer as a git smart-HTTP server (Content-Type {content_type!r}): {question}?"
            )
        advert = parse_advertisement(body, where, service)
        if service == "git-receive-pack" and not advert.has("report-status"):
            raise GitProtocolError(f"{where}: the server does not offer report-status")
        object_format = next((c for c in advert.capabilities if c.startswith("object-format=")), "")
        if object_format not in ("", "object-format=sha1"):
            raise GitProtocolError(f"{where} uses {object_format}; only SHA-1 repositories are supported")
        return advert

    def push(
        self, commands: Sequence[tuple[str, str, str]], pack: bytes | None, advert: Advertisement
    ) -> dict[str, str | None]:
        """Send ref update commands (old, new, ref) and a pack; return what the server reports per ref."""
        capabilities = ["report-status"]
        if len(commands) > 1 and advert.has("atomic"):
            capabilities.append("atomic")
        if advert.has("agent"):
            capabilities.append(f"agent={self.agent}")
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

    def fetch_pack(
        self,
        commit: str,
        advert: Advertisement,
        *,
        depth: int | None = 1,
        ofs_delta: bool = True,
        max_bytes: int = MAX_FETCH_BYTES,
    ) -> bytes:
        """The pack ``git-upload-pack`` sends for ``commit`` (``advert``: its upload-pack advertisement): the
        commit alone with ``depth`` 1 when the server offers ``shallow`` (else its whole history)."""
        where = f"fetch of {commit} from {self.remote.repository}"
        if not OBJECT_ID_RE.match(commit):
            raise GitError(f"{where}: {commit!r} is not a commit id")
        capabilities = []
        if ofs_delta and advert.has("ofs-delta"):
            capabilities.append("ofs-delta")
        deepen = depth is not None and advert.has("shallow")
        if deepen:
            capabilities.append("shallow")
        if advert.has("no-progress"):
            capabilities.append("no-progress")
        if advert.has("agent"):
            capabilities.append(f"agent={self.agent}")
        body = pkt_line(f"want {commit} {' '.join(capabilities)}".rstrip().encode() + b"\n")
        if deepen:
            body += pkt_line(f"deepen {depth}\n".encode())
        body += b"0000" + pkt_line(b"done\n")
        content_type, answer = self._call("/git-upload-pack", body, limit=max_bytes)
        if content_type.split(";")[0].strip() != "application/x-git-upload-pack-result":
            raise GitProtocolError(f"{where}: the server answered with Content-Type {content_type!r}")
        return extract_pack(answer, where)

    def fetch_commit(
        self,
        commit: str,
        advert: Advertisement | None = None,
        *,
        ofs_delta: bool = True,
        max_bytes: int = MAX_FETCH_BYTES,
    ) -> Snapshot:
        """The files of ``commit``, fetched with ``git-upload-pack`` (its advertisement read unless given)."""
        where = f"fetch of {commit} from {self.remote.repository}"
        advert = advert or self.advertisement("git-upload-pack")
        pack = parse_pack(self.fetch_pack(commit, advert, ofs_delta=ofs_delta, max_bytes=max_bytes), where)
        snapshot = read_snapshot(pack.objects, commit, where)
        LOG.info(
            "fetched %s from %s: %d files, %d skipped; pack objects %s",
            commit,
            self.remote.repository,
            len(snapshot.files),
            len(snapshot.skipped),
            dict(sorted(pack.counts.items())),
        )
        return dataclasses.replace(snapshot, object_counts=pack.counts)
