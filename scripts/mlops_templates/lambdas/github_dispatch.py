"""GitHub dispatch function: tells a project's GitHub repositories that a model package was approved or rejected.

The third-party-CI template's bridge from the model registry to GitHub Actions: an EventBridge rule sends the
"SageMaker Model Package State Change" events of the project's model package group (``ModelApprovalStatus``
``Approved`` or ``Rejected``) to this function, which sends one ``repository_dispatch`` to each repository; a
workflow ``on: repository_dispatch: types: [<EVENT_TYPE>]`` then deploys (or rolls back) with the project role it
assumes through the account's GitHub OIDC provider.

Configuration (environment):

* ``REPOSITORIES``: a JSON list of ``"owner/repo"`` full names to notify (at least one).
* ``SECRET_ARN``: a Secrets Manager secret whose ``SecretString`` is ``{"token": ...}``: a fine-grained personal
  access token or GitHub App installation token with "Contents: read and write" on those repositories (what
  ``POST /repos/{owner}/{repo}/dispatches`` needs).
* ``EVENT_TYPE`` (default ``model-approval``): the dispatch's ``event_type`` (1-100 characters).
* ``GITHUB_API_URL`` (default ``https://api.github.com``; GitHub Enterprise Server: ``https://<host>/api/v3``).
  Only ``https`` URLs are accepted, except on a loopback host (tests, a local proxy).

For each repository the function sends ``POST {api}/repos/{owner}/{repo}/dispatches`` with ``Authorization: Bearer
<token>``, ``Accept: application/vnd.github+json``, ``X-GitHub-Api-Version: 2022-11-28``, a ``User-Agent`` and the
body ``{"event_type": EVENT_TYPE, "client_payload": {"model_package_arn", "model_package_group_name",
"approval_status", "model_package_version"}}`` (GitHub allows at most 10 top-level ``client_payload`` keys; four are
sent). GitHub answers 204. Redirects are not followed (the token would go with them).

* 401, 403, 404: :class:`DispatchAuthError`, naming the repository and the secret's ARN (GitHub answers 404 for a
  repository the token cannot see), not retried;
* 5xx, 429 and network errors (``URLError``, timeouts): retried ``ATTEMPTS`` times in all with exponential backoff
  (``BACKOFF_SECONDS`` doubled each time), then :class:`DispatchFailedError`;
* any other answer: :class:`DispatchFailedError` with GitHub's ``message``.

Every repository is tried; when any failed, the function raises :class:`DispatchError` listing every failure after
the others were notified (the asynchronous invocation's retries then send the dispatch again to all of them: a
workflow should treat the approval status it reads as the state, not count events). Events of other statuses
(``PendingManualApproval``) are answered ``{"status": "ignored", "reason"}``; a malformed event is an
:class:`EventError`. The token is never logged nor put in a message. The function needs
``secretsmanager:GetSecretValue`` on the secret (and ``kms:Decrypt`` on its key) and network access to the API.

Only the standard library and boto3 are imported.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import boto3
from botocore.exceptions import BotoCoreError, ClientError

__version__ = "1.0.0"

LOG = logging.getLogger(__name__)
LOG.setLevel(logging.INFO)

DEFAULT_API_URL = "https://api.github.com"
DEFAULT_EVENT_TYPE = "model-approval"
API_VERSION = "2022-11-28"
USER_AGENT = f"sagemaker-mlops-templates-github-dispatch/{__version__}"
DETAIL_TYPE = "SageMaker Model Package State Change"
STATUSES = frozenset({"Approved", "Rejected"})
ATTEMPTS = 4
BACKOFF_SECONDS = 1.0
TIMEOUT_SECONDS = 10.0
MAX_CLIENT_PAYLOAD_KEYS = 10  # GitHub's limit on client_payload's top-level properties

# GitHub: owner (user or organisation) 1-39 letters, digits and hyphens; repository 1-100 letters, digits, . _ -.
REPOSITORY_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")


class DispatchError(Exception):
    """Base of the function's errors; the message never holds the token."""


class ConfigError(DispatchError):
    """The environment or the secret is not usable."""


class EventError(DispatchError):
    """The event is not a model package state change the function can read."""


class DispatchAuthError(DispatchError):
    """GitHub refused the token for a repository (401, 403) or the token cannot see it (404)."""


class DispatchFailedError(DispatchError):
    """GitHub did not accept the dispatch (server errors or network failures after the retries, other answers)."""


class SecretsClient(Protocol):
    def get_secret_value(self, *, SecretId: str) -> Mapping[str, Any]: ...


Opener = Callable[[urllib.request.Request, float], Any]


@dataclass(frozen=True)
class Settings:
    """The function's environment, validated."""

    repositories: tuple[str, ...]
    secret_arn: str
    event_type: str
    api_url: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:  # a 3xx becomes an HTTPError
        return None


def default_opener() -> Opener:
    opener = urllib.request.build_opener(_NoRedirect())

    def open_url(request: urllib.request.Request, timeout: float) -> Any:
        return opener.open(request, timeout=timeout)

    return open_url


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def api_url(value: str) -> str:
    """The API base URL without a trailing slash; only https, or http on a loopback host."""
    parsed = urllib.parse.urlsplit(value)
    host = parsed.hostname or ""
    if parsed.scheme not in ("https", "http") or not host or parsed.username or parsed.password:
        raise ConfigError(f"GITHUB_API_URL {value!r} must be an https:// URL such as https://api.github.com")
    if parsed.query or parsed.fragment:
        raise ConfigError(f"GITHUB_API_URL {value!r} must not hold a query or a fragment")
    if parsed.scheme == "http" and not _is_loopback(host):
        raise ConfigError(f"GITHUB_API_URL {value!r}: plain http is refused except on a loopback host")
    return value.rstrip("/")


def settings(environ: Mapping[str, str]) -> Settings:
    """The validated configuration of ``environ``."""
    try:
        repositories = json.loads(environ["REPOSITORIES"])
        secret_arn = environ["SECRET_ARN"]
    except KeyError as err:
        raise ConfigError(f"the environment lacks {err.args[0]}") from err
    except json.JSONDecodeError as err:
        raise ConfigError(f"REPOSITORIES is not JSON: {err}") from err
    if not isinstance(repositories, list) or not repositories:
        raise ConfigError('REPOSITORIES must be a non-empty JSON list of "owner/repo" names')
    bad = [r for r in repositories if not isinstance(r, str) or not REPOSITORY_RE.match(r)]
    if bad:
        raise ConfigError(f'REPOSITORIES holds names that are not "owner/repo": {bad}')
    if not secret_arn.startswith("arn:"):
        raise ConfigError(f"SECRET_ARN {secret_arn!r} is not an ARN")
    event_type = environ.get("EVENT_TYPE") or DEFAULT_EVENT_TYPE
    if len(event_type) > 100:
        raise ConfigError("EVENT_TYPE must be 1-100 characters")
    base = api_url(environ.get("GITHUB_API_URL") or DEFAULT_API_URL)
    return Settings(tuple(dict.fromkeys(repositories)), secret_arn, event_type, base)


def read_token(secrets: SecretsClient, secret_arn: str) -> str:
    """The ``token`` of the secret's JSON ``SecretString``."""
    try:
        answer = secrets.get_secret_value(SecretId=secret_arn)
    except (ClientError, BotoCoreError) as err:
        raise ConfigError(f"cannot read secret {secret_arn}: {err}") from err
    try:
        token = json.loads(answer.get("SecretString") or "")["token"]
    except (json.JSONDecodeError, KeyError, TypeError) as err:
        raise ConfigError(f'secret {secret_arn} must hold a JSON SecretString {{"token": ...}}') from err
    if not isinstance(token, str) or not token.strip():
        raise ConfigError(f"secret {secret_arn}: token must be a non-empty string")
    return token.strip()


def client_payload(event: Mapping[str, Any]) -> dict[str, Any] | None:
    """The dispatch's client_payload for an Approved/Rejected event; None for another status."""
    if event.get("detail-type") != DETAIL_TYPE or event.get("source") != "aws.sagemaker":
        raise EventError(f"not a {DETAIL_TYPE!r} event of aws.sagemaker: {event.get('detail-type')!r}")
    detail = event.get("detail")
    if not isinstance(detail, Mapping):
        raise EventError("the event has no detail")
    status = detail.get("ModelApprovalStatus")
    if status not in STATUSES:
        return None
    try:
        payload = {
            "model_package_arn": str(detail["ModelPackageArn"]),
            "model_package_group_name": str(detail["ModelPackageGroupName"]),
            "approval_status": status,
            "model_package_version": int(detail["ModelPackageVersion"]),
        }
    except (KeyError, TypeError, ValueError) as err:
        raise EventError(f"the event's detail lacks a usable {err}") from err
    return payload


def _message(error: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(error.read(4096) or b"{}")
    except (json.JSONDecodeError, OSError, ValueError):
        return ""
    return str(body.get("message", ""))[:200] if isinstance(body, dict) else ""


def dispatch(
    repository: str,
    body: Mapping[str, Any],
    token: str,
    config: Settings,
    opener: Opener,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """One ``repository_dispatch`` to ``repository``, with the retries described in the module docstring."""
    owner, name = repository.split("/", 1)
    url = f"{config.api_url}/repos/{urllib.parse.quote(owner)}/{urllib.parse.quote(name)}/dispatches"
    data = json.dumps(body, separators=(",", ":"), sort_keys=True).encode()
    where = f"repository {repository} (token of secret {config.secret_arn})"
    problem = ""
    for attempt in range(1, ATTEMPTS + 1):
        request = urllib.request.Request(url, data=data, method="POST")
        for header, value in {
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": USER_AGENT,
            "Content-Type": "application/json",
        }.items():
            request.add_header(header, value)
        try:
            with opener(request, TIMEOUT_SECONDS) as response:
                status = int(response.status)
            if status == 204 or status == 200:
                LOG.info("dispatched %s to %s (attempt %d)", body["event_type"], repository, attempt)
                return
            raise DispatchFailedError(f"dispatch to {where}: unexpected answer {status}")
        except urllib.error.HTTPError as err:
            message = _message(err)
            detail = f"HTTP {err.code}" + (f": {message}" if message else "")
            if err.code in (401, 403):
                raise DispatchAuthError(f"dispatch to {where} refused ({detail})") from err
            if err.code == 404:
                raise DispatchAuthError(
                    f"dispatch to {where}: not found ({detail}); the repository does not exist or the token "
                    "cannot see it"
                ) from err
            if err.code < 500 and err.code != 429:
                raise DispatchFailedError(f"dispatch to {where} not accepted ({detail})") from err
            problem = detail
        except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
            problem = f"network error: {getattr(err, 'reason', err)}"
        LOG.warning("dispatch to %s failed (attempt %d of %d): %s", repository, attempt, ATTEMPTS, problem)
        if attempt < ATTEMPTS:
            sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
    raise DispatchFailedError(f"dispatch to {where} failed after {ATTEMPTS} attempts: {problem}")


def notify(
    event: Mapping[str, Any],
    environ: Mapping[str, str],
    secrets: SecretsClient,
    opener: Opener | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Send the event's dispatch to every configured repository (see the module docstring)."""
    config = settings(environ)
    payload = client_payload(event)
    if payload is None:
        status = (event.get("detail") or {}).get("ModelApprovalStatus")
        LOG.info("ignored a model package event with status %s", status)
        return {"status": "ignored", "reason": f"approval status {status} is neither Approved nor Rejected"}
    token = read_token(secrets, config.secret_arn)
    body = {"event_type": config.event_type, "client_payload": payload}
    failures: list[str] = []
    for repository in config.repositories:
        try:
            dispatch(repository, body, token, config, opener or default_opener(), sleep)
        except DispatchError as err:
            LOG.error("%s", err)
            failures.append(str(err))
    if failures:
        raise DispatchError(f"{len(failures)} of {len(config.repositories)} dispatches failed: " + "; ".join(failures))
    repositories = list(config.repositories)
    return {"status": "dispatched", "event_type": config.event_type, "repositories": repositories, **payload}


def handler(event: Mapping[str, Any], context: object) -> dict[str, Any]:
    """The Lambda entry point."""
    return notify(event, os.environ, boto3.client("secretsmanager"))
