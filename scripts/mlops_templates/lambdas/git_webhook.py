"""Git webhook function: exports a branch's code to S3 as a zip when the git server reports a push to it.

The "any git" template's source: a git server (Azure DevOps, Gitea/Forgejo, self-hosted GitLab, Bitbucket Cloud or
Server/Data Center, GitHub without CodeConnections) calls the function on every push, through a function URL or an
API Gateway HTTP API route ``POST /{target}`` (payload format 2.0 either way); the function writes the pushed
branch's files to ``s3://<bucket>/<key>``, the object a CodePipeline S3 source action reads.

Invoked directly with ``{"export": "<target>"}`` (no ``requestContext``: only principals allowed to invoke the
function can send it, e.g. Terraform when the project is created, before any webhook is registered) it exports that
target's branch head the same way, without a signature, and returns ``{"status": "exported" | "unchanged",
"commit", "key"}`` (``{"status": "ignored", "reason"}`` when the branch does not exist); failures raise
:class:`ExportError`, whose message names the target, repository and secret (never a token).

Configuration (environment):

* ``SECRET_ARN``: a Secrets Manager secret whose ``SecretString`` is ``{"username": ..., "token": ...,
  "webhook_secret": ..., "url": ...}`` (``url`` optional: the repository URL of targets that give none). The
  username and token read the repository over HTTPS (basic auth); ``webhook_secret`` authenticates the git server.
* ``TARGETS``: a JSON object, target name -> ``{"repository_url", "branch", "bucket", "key", "kms_key_arn"}``
  (``repository_url`` optional when the secret has ``url``; ``kms_key_arn`` optional: without it S3 uses its
  ``aws/s3`` key), e.g. ``model_build`` and ``model_deploy``. The request path ``/<name>`` picks the target.
* ``GIT_HTTP_ENDPOINT_URL`` (tests and proxies): replaces the scheme and host of the repository URLs.

A delivery (payload format 2.0: ``rawPath`` or the route's ``pathParameters.target``, lower-case ``headers``,
``body``, ``isBase64Encoded``, ``requestContext.http.method``) is answered with JSON:

1. only ``POST`` (405), bodies of at most 1 MiB (413);
2. the caller is verified before anything else is read or written (401 when no credential matches; every compare is
   constant-time), against the secret's ``webhook_secret``:

   * ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`` (GitHub, Gitea, Forgejo, Bitbucket Cloud and
     Server/Data Center), also as ``X-Hub-Signature: sha256=...`` (Bitbucket) and ``X-Gitea-Signature: <hex>``
     (``X-Forgejo-Signature``, ``X-Gogs-Signature``); the HMAC is over the raw body bytes (base64-decoded first
     when ``isBase64Encoded``);
   * ``X-Gitlab-Token: <webhook_secret>`` (GitLab);
   * ``Authorization: Basic base64(<any user>:<webhook_secret>)`` (Azure DevOps service hooks);

3. ``/<name>`` must be a target (404);
4. the push is read from the payload (JSON, or GitHub's form-encoded ``payload=``): GitHub/Gitea/Forgejo/GitLab
   (``ref``, ``after``), Bitbucket Server (``changes[].ref.id``, ``toHash``, ``type``), Bitbucket Cloud
   (``push.changes[].new.name``/``target.hash``), Azure DevOps (``resource.refUpdates[].name``, ``newObjectId``).
   Ping and test events, other events, pushes that do not update the target's branch (other branches, tags) and
   deletions of the branch are answered 202 ``{"status": "ignored", "reason": ...}``, nothing written;
5. the export: the branch's **current** head is read from the repository's ref advertisement (not the payload's
   commit: deliveries that arrive out of order, or twice, still converge on the latest commit; both are logged).
   When the object's metadata ``commit`` already is that head, the answer is 200 ``unchanged``. Otherwise the
   commit is fetched (``githttp``, one commit, no history), zipped deterministically (entries sorted by path, every
   time stamp the commit's committer time in UTC, mode 755 or 644 in the entries' external attributes, so one
   commit always gives the same bytes; symbolic links and submodules are skipped and logged) and written with
   ``ServerSideEncryption=aws:kms``, ``SSEKMSKeyId`` and the metadata ``commit``, ``branch`` and ``repository``.
   The write is conditional on the object being the one read (``If-Match`` its ETag, or ``If-None-Match: *``): when
   a concurrent export replaced it in the meantime, the head is read again (up to 3 times), so an older commit never
   overwrites a newer one. The answer is 200 ``{"status": "exported" | "unchanged", "commit", "key"}``.

Failures: the repository cannot be read (refused credentials, not found, unreachable, not git, a corrupt pack) ->
502 with a message naming the repository and the secret, never the token; a misconfiguration (environment, secret,
target) -> 500; S3 errors -> 500; concurrent exports that keep replacing the object -> 409. The function needs
``secretsmanager:GetSecretValue`` on the secret, ``s3:GetObject`` (HeadObject) and ``s3:PutObject`` on the targets'
objects, and ``kms:GenerateDataKey`` on their keys. Everything useful is logged (target, provider, delivery id, refs
and commits); secrets never are.

The git protocol and the remotes are :mod:`githttp`'s, which the function's zip holds next to this file; besides
it, only the standard library and boto3 are imported.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import json
import logging
import os
import re
import stat
import time
import urllib.parse
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import ClientError

try:
    from . import githttp
except ImportError:  # in the Lambda zip, githttp.py is a top-level module next to this one
    import githttp  # type: ignore[no-redef, import-not-found]

# The function's version (`mlops-templates package` reads it): bump it with every change to this file.
__version__ = "1.0.0"

LOG = logging.getLogger(__name__)
LOG.setLevel(logging.INFO)

AGENT = f"mlops-templates-git-webhook/{__version__}"
SECRET_ENV = "SECRET_ARN"
TARGETS_ENV = "TARGETS"
MAX_BODY_BYTES = 1024 * 1024
PUT_ATTEMPTS = 3
ZIP_EARLIEST = 315532800  # 1980-01-01T00:00:00Z: a zip entry's time stamp can be no earlier
ZIP_LATEST = 4354819198  # 2107-12-31T23:59:58Z: nor later
TARGET_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
SHA_RE = re.compile(r"^[0-9a-f]{40}$")
HMAC_HEADERS = ("x-hub-signature-256", "x-hub-signature")  # "sha256=<hex>"
HEX_HMAC_HEADERS = ("x-gitea-signature", "x-forgejo-signature", "x-gogs-signature")  # "<hex>"
EVENT_HEADERS = {
    "x-github-event": "github",
    "x-gitea-event": "gitea",
    "x-forgejo-event": "forgejo",
    "x-gogs-event": "gogs",
    "x-gitlab-event": "gitlab",
    "x-event-key": "bitbucket",
}
DELIVERY_HEADERS = (
    "x-github-delivery",
    "x-gitea-delivery",
    "x-forgejo-delivery",
    "x-gitlab-event-uuid",
    "x-request-uuid",
    "x-request-id",
    "x-hook-uuid",
)
PING_EVENTS = frozenset({"ping", "diagnostics:ping"})
PUSH_EVENTS = frozenset({"push", "push hook", "tag push hook", "repo:push", "repo:refs_changed", "git.push"})
NOT_FOUND = frozenset({"404", "NoSuchKey", "NotFound"})
CONFLICT = frozenset({"PreconditionFailed", "ConditionalRequestConflict", "412", "409"})


class WebhookConfigError(Exception):
    """The function's environment is invalid (``SECRET_ARN`` or ``TARGETS``)."""


@dataclass(frozen=True)
class Target:
    """Where one repository's branch is exported."""

    name: str
    repository_url: str | None
    branch: str
    bucket: str
    key: str
    kms_key_arn: str | None

    @property
    def ref(self) -> str:
        return f"refs/heads/{self.branch}"

    @property
    def location(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


@dataclass(frozen=True)
class Config:
    secret_arn: str
    targets: dict[str, Target]

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Config:
        secret_arn = environ.get(SECRET_ENV, "").strip()
        if not secret_arn:
            raise WebhookConfigError(f"{SECRET_ENV} is not set")
        try:
            raw = json.loads(environ.get(TARGETS_ENV, ""))
        except ValueError as exc:
            raise WebhookConfigError(f"{TARGETS_ENV} is not valid JSON: {exc}") from None
        if not isinstance(raw, dict) or not raw:
            raise WebhookConfigError(f"{TARGETS_ENV} must be a non-empty JSON object: target name -> settings")
        return cls(secret_arn=secret_arn, targets={name: _target(name, spec) for name, spec in raw.items()})


def _target(name: str, spec: object) -> Target:
    where = f"{TARGETS_ENV} target {name!r}"
    if not TARGET_NAME_RE.match(name):
        raise WebhookConfigError(f"{where}: a target name may hold only letters, digits, '_', '-' and '.'")
    if not isinstance(spec, dict):
        raise WebhookConfigError(f"{where} must be a JSON object")
    missing = [key for key in ("branch", "bucket", "key") if not githttp.is_text(spec.get(key))]
    wrong = [key for key in ("repository_url", "kms_key_arn") if spec.get(key) is not None]
    wrong = [key for key in wrong if not isinstance(spec[key], str)]
    if missing or wrong:
        raise WebhookConfigError(f"{where} has no valid (string) field(s): {', '.join(missing + wrong)}")
    if not githttp.is_valid_branch(spec["branch"]):
        raise WebhookConfigError(f"{where}: branch {spec['branch']!r} is not a valid git branch name")
    return Target(
        name=name,
        repository_url=spec.get("repository_url") or None,
        branch=spec["branch"],
        bucket=spec["bucket"],
        key=spec["key"],
        kms_key_arn=spec.get("kms_key_arn") or None,
    )


# --- Requests and answers ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """A webhook delivery (payload format 2.0 of a function URL or an API Gateway HTTP API)."""

    method: str
    path: str
    target: str  # the route's {target} (API Gateway), else the path without its slashes (function URL)
    headers: dict[str, str]  # lower-case names
    body: bytes

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> Request:
        """Raises ValueError when the body is not valid base64."""
        context = event.get("requestContext")
        http = context.get("http") if isinstance(context, Mapping) else None
        method = str(http.get("method", "")) if isinstance(http, Mapping) else ""
        headers = {str(key).lower(): str(value) for key, value in (event.get("headers") or {}).items()}
        body = event.get("body") or ""
        if event.get("isBase64Encoded"):
            data = base64.b64decode(body, validate=True)
        else:
            data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        path = str(event.get("rawPath") or "/")
        parameters = event.get("pathParameters")
        target = parameters.get("target") if isinstance(parameters, Mapping) else None
        target = target if isinstance(target, str) else path.strip("/")
        return cls(method=method.upper(), path=path, target=target, headers=headers, body=data)

    @property
    def provider(self) -> str:
        for header, provider in EVENT_HEADERS.items():
            if header in self.headers:
                return provider
        return "azure-devops" if "authorization" in self.headers else "unknown"

    @property
    def delivery(self) -> str:
        return next((self.headers[name] for name in DELIVERY_HEADERS if name in self.headers), "-")


def response(status: int, body: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json", **(headers or {})},
        "body": json.dumps(body, sort_keys=True),
    }


def error(status: int, message: str, headers: Mapping[str, str] | None = None) -> dict[str, Any]:
    return response(status, {"status": "error", "message": message}, headers)


def ignored(reason: str) -> dict[str, Any]:
    return response(202, {"status": "ignored", "reason": reason})


def verify(headers: Mapping[str, str], body: bytes, webhook_secret: str) -> str | None:
    """The header that proves the caller knows ``webhook_secret``, or None. Every compare is constant-time."""
    key = webhook_secret.encode("utf-8")
    digest = hmac.new(key, body, hashlib.sha256).hexdigest().encode("ascii")
    for name in HMAC_HEADERS:
        value = headers.get(name, "").strip()
        if value[:7].lower() == "sha256=" and hmac.compare_digest(value[7:].strip().lower().encode(), digest):
            return name
    for name in HEX_HMAC_HEADERS:
        value = headers.get(name, "").strip()
        if value and hmac.compare_digest(value.lower().encode(), digest):
            return name
    token = headers.get("x-gitlab-token")
    if token is not None and hmac.compare_digest(token.encode("utf-8"), key):
        return "x-gitlab-token"
    scheme, _, credentials = headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() == "basic":
        try:
            _, sep, password = base64.b64decode(credentials.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        if sep and hmac.compare_digest(password.encode("utf-8"), key):
            return "authorization"
    return None


# --- Pushes ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefUpdate:
    """One ref a push changed: its full name and new commit (all zeros when deleted)."""

    ref: str
    new: str

    @property
    def deleted(self) -> bool:
        return self.new == githttp.ZERO_ID


def _text_field(value: object) -> str:
    return value if isinstance(value, str) else ""


def _sha(value: object) -> str:
    text = _text_field(value).lower()
    return text if SHA_RE.match(text) else ""


def read_payload(request: Request) -> dict[str, Any]:
    """The JSON object of the body (or of GitHub's form-encoded ``payload`` field). Raises ValueError."""
    body = request.body
    if request.headers.get("content-type", "").split(";")[0].strip() == "application/x-www-form-urlencoded":
        fields = urllib.parse.parse_qs(body.decode("utf-8"), strict_parsing=True)
        body = fields.get("payload", [""])[0].encode("utf-8")
    payload = json.loads(body)
    if not isinstance(payload, dict):
        raise ValueError("the payload is not a JSON object")
    return payload


def ref_updates(payload: Mapping[str, Any]) -> list[RefUpdate] | None:
    """The refs a push payload updates (in its order), or None when it is no push payload known."""
    resource = payload.get("resource")
    if isinstance(resource, Mapping) and isinstance(resource.get("refUpdates"), list):  # Azure DevOps
        return [
            RefUpdate(_text_field(item.get("name")), _sha(item.get("newObjectId")))
            for item in resource["refUpdates"]
            if isinstance(item, Mapping)
        ]
    push = payload.get("push")
    if isinstance(push, Mapping) and isinstance(push.get("changes"), list):  # Bitbucket Cloud
        updates = []
        for change in push["changes"]:
            if not isinstance(change, Mapping):
                continue
            new, old = change.get("new"), change.get("old")
            side = new if isinstance(new, Mapping) else old if isinstance(old, Mapping) else {}
            prefix = {"branch": "refs/heads/", "tag": "refs/tags/"}.get(_text_field(side.get("type")), "")
            name = _text_field(side.get("name"))
            if not prefix or not name:
                continue
            target = new.get("target") if isinstance(new, Mapping) else None
            sha = _sha(target.get("hash")) if isinstance(target, Mapping) else githttp.ZERO_ID
            updates.append(RefUpdate(prefix + name, sha))
        return updates
    if isinstance(payload.get("changes"), list):  # Bitbucket Server / Data Center
        updates = []
        for change in payload["changes"]:
            if not isinstance(change, Mapping):
                continue
            ref = change.get("ref")
            name = _text_field(ref.get("id") if isinstance(ref, Mapping) else None) or _text_field(change.get("refId"))
            deleted = _text_field(change.get("type")).upper() == "DELETE"
            updates.append(RefUpdate(name, githttp.ZERO_ID if deleted else _sha(change.get("toHash"))))
        return updates
    if isinstance(payload.get("ref"), str) and "after" in payload:  # GitHub, Gitea, Forgejo, GitLab
        deleted = payload.get("deleted") is True
        return [RefUpdate(payload["ref"], githttp.ZERO_ID if deleted else _sha(payload.get("after")))]
    return None


def event_name(request: Request, payload: Mapping[str, Any] | None) -> str | None:
    """The provider's name of the event (its event header, or Azure DevOps' ``eventType``)."""
    for header in EVENT_HEADERS:
        if header in request.headers:
            return request.headers[header].strip()
    if payload is not None and isinstance(payload.get("eventType"), str):
        return str(payload["eventType"])
    return None


def _not_a_push(name: str | None) -> str | None:
    """Why an event is ignored, when its name says it is no push."""
    if name is None:
        return None
    if name.lower() in PING_EVENTS:
        return f"ping event ({name}): nothing to export"
    if name.lower() not in PUSH_EVENTS:
        return f"{name} event: only pushes are exported"
    return None


# --- Export ------------------------------------------------------------------------------------------------------


def build_zip(snapshot: githttp.Snapshot) -> bytes:
    """The files of a commit as a deterministic zip: sorted entries, the committer time, the exec bit."""
    date_time = time.gmtime(min(max(snapshot.committer_time, ZIP_EARLIEST), ZIP_LATEST))[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in sorted(snapshot.files, key=lambda file: file.path):
            info = zipfile.ZipInfo(item.path, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix: unzip applies the mode
            info.external_attr = (stat.S_IFREG | (0o755 if item.executable else 0o644)) << 16
            archive.writestr(info, item.content, compresslevel=6)
    return buffer.getvalue()


class S3Error(Exception):
    """An S3 call failed; the message names the object."""


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def current_object(s3: Any, target: Target) -> tuple[str | None, str | None]:
    """The ETag and metadata ``commit`` of the target's object (None, None when it does not exist)."""
    try:
        head = s3.head_object(Bucket=target.bucket, Key=target.key)
    except ClientError as exc:
        if _code(exc) in NOT_FOUND:
            return None, None
        raise S3Error(f"cannot read {target.location} ({_code(exc)})") from exc
    return head.get("ETag"), (head.get("Metadata") or {}).get("commit")


def _metadata_value(text: str) -> str:
    """S3 metadata travels in HTTP headers: ASCII only."""
    return urllib.parse.quote(text, safe="/:@+=,")


def write_object(s3: Any, target: Target, data: bytes, commit: str, repository: str, etag: str | None) -> bool:
    """Put the zip when the object is still the one read (``etag``, None: absent); False when it was replaced."""
    arguments: dict[str, Any] = {
        "Bucket": target.bucket,
        "Key": target.key,
        "Body": data,
        "ContentType": "application/zip",
        "ServerSideEncryption": "aws:kms",
        "Metadata": {
            "commit": commit,
            "branch": _metadata_value(target.branch),
            "repository": _metadata_value(repository),
        },
    }
    if target.kms_key_arn:
        arguments["SSEKMSKeyId"] = target.kms_key_arn
    if etag is None:
        arguments["IfNoneMatch"] = "*"
    else:
        arguments["IfMatch"] = etag
    try:
        s3.put_object(**arguments)
    except ClientError as exc:
        if _code(exc) in CONFLICT:
            return False
        raise S3Error(f"cannot write {target.location} ({_code(exc)})") from exc
    return True


def export(
    target: Target,
    remote: githttp.Remote,
    s3: Any,
    pushed: str,
    opener: githttp.Opener | None = None,
) -> tuple[int, dict[str, Any]]:
    """Export the branch's current head to the target's object (unless it holds it already); the answer's status
    and body. Raises :class:`githttp.GitError` (the repository) and :class:`S3Error`."""
    git = githttp.GitHttp(remote, opener, agent=AGENT)
    for attempt in range(1, PUT_ATTEMPTS + 1):
        advert = git.advertisement("git-upload-pack")
        head = advert.refs.get(target.ref)
        if head is None:
            LOG.info("%s: %s of %s no longer exists: nothing exported", target.name, target.ref, remote.repository)
            return 202, {"status": "ignored", "reason": f"{target.ref} does not exist in {remote.repository}"}
        LOG.info(
            "%s: the push reported %s, %s of %s is at %s", target.name, pushed, target.ref, remote.repository, head
        )
        etag, exported = current_object(s3, target)
        if exported == head:
            LOG.info("%s: %s holds %s already", target.name, target.location, head)
            return 200, {"status": "unchanged", "commit": head, "key": target.key}
        snapshot = git.fetch_commit(head, advert)
        data = build_zip(snapshot)
        if write_object(s3, target, data, head, remote.repository, etag):
            LOG.info(
                "%s: exported %s (%d files, %d bytes; skipped %s) to %s (was %s)",
                target.name,
                head,
                len(snapshot.files),
                len(data),
                [path for path, _ in snapshot.skipped] or "nothing",
                target.location,
                exported or "absent",
            )
            return 200, {"status": "exported", "commit": head, "key": target.key}
        LOG.warning("%s: %s was replaced while exporting %s (attempt %d)", target.name, target.location, head, attempt)
    message = f"{target.location} kept being replaced by concurrent exports: deliver the push again"
    return 409, {"status": "error", "message": message}


def export_answer(
    target: Target,
    secret: Mapping[str, Any],
    config: Config,
    s3: Any,
    pushed: str,
    endpoint_url: str | None,
    opener: githttp.Opener | None,
) -> tuple[int, dict[str, Any]]:
    """:func:`export` with the secret's remote; its failures as answers (500: configuration or S3, 502: the
    repository), their messages naming the target, repository and secret, never a token."""
    try:
        remote = githttp.remote_from_secret(config.secret_arn, secret, target.repository_url, endpoint_url)
    except githttp.GitConfigError as exc:
        LOG.error("%s: %s", target.name, exc)
        return 500, {"status": "error", "message": f"target {target.name}: {exc}"}
    try:
        return export(target, remote, s3, pushed, opener)
    except githttp.GitError as exc:
        message = f"cannot export {target.ref} of {remote.repository} (target {target.name}): {exc}"
        LOG.error("%s", message)
        return 502, {"status": "error", "message": message}
    except S3Error as exc:
        LOG.error("%s: %s", target.name, exc)
        return 500, {"status": "error", "message": f"target {target.name}: {exc}"}


class ExportError(Exception):
    """A direct export failed; the message names the target, and the repository and secret or object at fault."""


def is_direct(event: object) -> bool:
    """A direct invocation ``{"export": "<target>"}`` (API Gateway and function URL events hold requestContext)."""
    return isinstance(event, Mapping) and "requestContext" not in event and "export" in event


def direct_export(
    event: Mapping[str, Any],
    *,
    config: Config,
    secretsmanager: Any,
    s3: Any,
    endpoint_url: str | None = None,
    opener: githttp.Opener | None = None,
) -> dict[str, Any]:
    """The export of the target ``event["export"]`` names (when the project is created: no webhook delivery yet).
    Only principals allowed to invoke the function can ask for it. Returns ``{"status": "exported" | "unchanged",
    "commit", "key"}`` (``{"status": "ignored", "reason"}`` when the branch does not exist); raises
    :class:`ExportError` otherwise, so that the invocation (Terraform's) fails with the message."""
    name = event.get("export")
    target = config.targets.get(name) if isinstance(name, str) else None
    if target is None:
        raise ExportError(f"no target {name!r} to export (targets: {', '.join(sorted(config.targets))})")
    LOG.info("%s: direct export requested", target.name)
    try:
        secret = githttp.read_secret(secretsmanager, config.secret_arn)
    except githttp.GitConfigError as exc:
        raise ExportError(f"target {target.name}: {exc}") from None
    status, body = export_answer(target, secret, config, s3, "nothing (a direct export)", endpoint_url, opener)
    if status >= 400:
        raise ExportError(str(body["message"]))
    return body


def handle(
    event: Mapping[str, Any],
    *,
    config: Config,
    secretsmanager: Any,
    s3: Any,
    endpoint_url: str | None = None,
    opener: githttp.Opener | None = None,
) -> dict[str, Any]:
    """Answer one webhook delivery (see the module's documentation)."""
    try:
        request = Request.from_event(event)
    except ValueError:
        return error(400, "the body is not valid base64")
    if request.method != "POST":
        return error(405, "only POST is allowed", {"allow": "POST"})
    if len(request.body) > MAX_BODY_BYTES:
        return error(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        secret = githttp.read_secret(secretsmanager, config.secret_arn)
    except githttp.GitConfigError as exc:
        LOG.error("%s", exc)
        return error(500, "the function cannot read its secret: see its log")
    webhook_secret = secret.get("webhook_secret")
    if not githttp.is_text(webhook_secret):
        LOG.error("secret %s has no webhook_secret (a non-empty string)", config.secret_arn)
        return error(500, "the function's secret has no webhook_secret: see its log")
    verified = verify(request.headers, request.body, str(webhook_secret))
    if verified is None:
        LOG.warning("%s %s (%s): no valid signature or token: refused", request.method, request.path, request.provider)
        return error(401, "no valid signature or token")

    name = request.target
    target = config.targets.get(name)
    LOG.info("%s delivery %s to /%s verified by %s", request.provider, request.delivery, name, verified)
    if target is None:
        return error(404, f"no target {name!r} (targets: {', '.join(sorted(config.targets))})")
    reason = _not_a_push(event_name(request, None))
    if reason is not None:
        LOG.info("%s: %s", target.name, reason)
        return ignored(reason)
    try:
        payload = read_payload(request)
    except (ValueError, UnicodeDecodeError) as exc:
        return error(400, f"the body is not a JSON object: {exc}")
    reason = _not_a_push(event_name(request, payload))
    updates = None if reason else ref_updates(payload)
    if updates is None:
        reason = reason or "the payload reports no push"
        LOG.info("%s: %s", target.name, reason)
        return ignored(reason)
    LOG.info("%s: the push updates %s", target.name, ", ".join(f"{u.ref}={u.new or '?'}" for u in updates) or "no ref")
    mine = [update for update in updates if update.ref == target.ref]
    if not mine:
        others = ", ".join(update.ref for update in updates[:5]) or "no ref"
        return ignored(f"the push does not update {target.ref} ({others})")
    if mine[-1].deleted:
        LOG.info("%s: %s was deleted: nothing exported", target.name, target.ref)
        return ignored(f"the push deletes {target.ref}")

    pushed = mine[-1].new or "an unknown commit"
    return response(*export_answer(target, secret, config, s3, pushed, endpoint_url, opener))


def handler(event: Mapping[str, Any], context: object) -> dict[str, Any]:
    """Lambda entry point (``git_webhook.handler``): a webhook delivery (answered, whatever happens), or a direct
    export (which raises on failure)."""
    del context
    direct = is_direct(event)
    try:
        config = Config.from_environ(os.environ)
    except WebhookConfigError as exc:
        LOG.error("%s", exc)
        if direct:
            raise
        return error(500, "the function is misconfigured: see its log")
    session = boto3.session.Session()
    secretsmanager = session.client("secretsmanager", region_name=githttp.secret_region(config.secret_arn))
    s3 = session.client("s3")
    endpoint = os.environ.get(githttp.ENDPOINT_ENV) or None
    if direct:
        return direct_export(event, config=config, secretsmanager=secretsmanager, s3=s3, endpoint_url=endpoint)
    try:
        return handle(event, config=config, secretsmanager=secretsmanager, s3=s3, endpoint_url=endpoint)
    except Exception:
        LOG.exception("unexpected failure")
        return error(500, "unexpected failure: see the function's log")
