"""The git-webhook Lambda handler: signed push deliveries of each provider's format, against a real git smart-HTTP
server (``git http-backend``, tests/harness/git_server.py) holding a repository the real git binary made; S3, KMS and
Secrets Manager on moto.

The function reaches ``http://127.0.0.1:<port>`` through the endpoint override (``GIT_HTTP_ENDPOINT_URL``), which
keeps the path of the target's https repository URL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import logging
import shutil
import time
import urllib.parse
import uuid
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import boto3
import pytest

from mlops_templates.lambdas import git_webhook, githttp
from tests.harness.git_server import BasicAuth, GitServer, HttpRequest, HttpResponse
from tests.harness.moto import offline_aws
from tests.lambdas.test_githttp import WorkTree, absolute_imports, archive_files, load_alone

REGION = "eu-west-1"
BUCKET = "pipeline-sources-123456789012"
USER = "webhook-reader"
TOKEN = "ghp-RepoR3adT0ken"
WEBHOOK_SECRET = "whsec-Sh4redW3bhookS3cret"
REPO = "team/model-build.git"
REPO_URL = f"https://git.example.com/{REPO}"
HEAD_DATE = 1_720_000_000  # even: zip time stamps have a 2-second resolution
ZERO = "0" * 40
FILES = {
    "README.md": b"# model build\n",
    "pipelines/train/pipeline.py": b"print('train')\n",
    "pipelines/__init__.py": b"",
    "scripts/build.sh": b"#!/bin/sh\necho build\n",
    "data/sample.bin": bytes(range(256)) * 4,
}
EXECUTABLE = frozenset({"scripts/build.sh"})


@dataclass(frozen=True)
class Aws:
    """S3 (a versioned bucket), a KMS key and Secrets Manager on moto, one mock for the module."""

    s3: Any
    secrets: Any
    kms_key_arn: str
    secret_arn: str

    def put_secret(self, value: dict[str, Any]) -> str:
        name = f"git/{uuid.uuid4().hex}"
        return str(self.secrets.create_secret(Name=name, SecretString=json.dumps(value))["ARN"])

    def object(self, key: str) -> dict[str, Any] | None:
        try:
            found = self.s3.get_object(Bucket=BUCKET, Key=key)
        except self.s3.exceptions.NoSuchKey:
            return None
        return dict(found) | {"Data": found["Body"].read()}


@pytest.fixture(scope="module")
def aws() -> Iterator[Aws]:
    with offline_aws(REGION):
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        key_arn = boto3.client("kms", region_name=REGION).create_key()["KeyMetadata"]["Arn"]
        secrets = boto3.client("secretsmanager", region_name=REGION)
        secret = {"username": USER, "token": TOKEN, "webhook_secret": WEBHOOK_SECRET}
        arn = secrets.create_secret(Name="git/webhook", SecretString=json.dumps(secret))["ARN"]
        yield Aws(s3, secrets, str(key_arn), str(arn))


@dataclass
class Site:
    """The git server holding REPO (a copy of the module's), and the function's configuration (fresh object keys)."""

    server: GitServer
    aws: Aws
    config: git_webhook.Config
    head: str

    @property
    def target(self) -> git_webhook.Target:
        return self.config.targets["model_build"]

    def deliver(self, event: dict[str, Any], config: git_webhook.Config | None = None) -> tuple[int, dict[str, Any]]:
        answer = git_webhook.handle(
            event,
            config=config or self.config,
            secretsmanager=self.aws.secrets,
            s3=self.aws.s3,
            endpoint_url=self.server.url,
        )
        assert answer["headers"]["content-type"] == "application/json"
        return int(answer["statusCode"]), json.loads(answer["body"])

    def exported(self) -> dict[str, Any] | None:
        return self.aws.object(self.target.key)

    def git_requests(self, service: str | None = None) -> int:
        return sum(1 for entry in self.server.log if service is None or entry.service == service)

    def upload_packs(self) -> int:
        return sum(1 for entry in self.server.log if entry.method == "POST" and entry.service == "git-upload-pack")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """REPO made once with the real git binary (FILES, and a symbolic link), and its head: each test gets a copy."""
    root = tmp_path_factory.mktemp("webhook-template")
    maker = GitServer(root / "git")  # not started: its repositories and git environment only
    maker.create_repo(REPO)
    work = WorkTree(maker, REPO, root / "work")
    head = work.commit(FILES, date=HEAD_DATE, executable=EXECUTABLE, symlinks={"docs/link": "../README.md"})
    return maker.path(REPO), head


@pytest.fixture
def site(tmp_path: Path, aws: Aws, template: tuple[Path, str]) -> Iterator[Site]:
    with GitServer(tmp_path / "git", auth=BasicAuth(USER, TOKEN)) as server:
        bare, head = template
        shutil.copytree(bare, server.path(REPO))
        prefix = uuid.uuid4().hex
        targets = {
            name: git_webhook.Target(
                name=name,
                repository_url=REPO_URL if name == "model_build" else "https://git.example.com/team/deploy.git",
                branch="main",
                bucket=BUCKET,
                key=f"{prefix}/{name}/source.zip",
                kms_key_arn=aws.kms_key_arn,
            )
            for name in ("model_build", "model_deploy")
        }
        yield Site(server, aws, git_webhook.Config(aws.secret_arn, targets), head)


# --- deliveries in each provider's format ---------------------------------------------------------------------------


def hub_signature(body: bytes, secret: str = WEBHOOK_SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


Update = tuple[str, str]  # (ref, new commit; zeros: deleted)


def github_like(updates: Sequence[Update]) -> dict[str, Any]:
    ref, new = updates[0]
    return {"ref": ref, "before": "a" * 40, "after": new, "deleted": new == ZERO, "repository": {"name": "x"}}


def bitbucket_cloud(updates: Sequence[Update]) -> dict[str, Any]:
    changes = []
    for ref, new in updates:
        kind, name = ("tag", ref.removeprefix("refs/tags/")) if ref.startswith("refs/tags/") else ("branch", ref[11:])
        old = {"type": kind, "name": name, "target": {"hash": "a" * 40}}
        changes.append({"old": old, "new": None if new == ZERO else old | {"target": {"hash": new}}, "closed": False})
    return {"push": {"changes": changes}, "repository": {"full_name": "team/model-build"}}


def bitbucket_server(updates: Sequence[Update]) -> dict[str, Any]:
    changes = [
        {
            "ref": {"id": ref, "displayId": ref.rsplit("/", 1)[-1], "type": "TAG" if "/tags/" in ref else "BRANCH"},
            "refId": ref,
            "fromHash": "a" * 40,
            "toHash": new,
            "type": "DELETE" if new == ZERO else "UPDATE",
        }
        for ref, new in updates
    ]
    return {"eventKey": "repo:refs_changed", "changes": changes}


def azure_devops(updates: Sequence[Update]) -> dict[str, Any]:
    refs = [{"name": ref, "oldObjectId": "a" * 40, "newObjectId": new} for ref, new in updates]
    return {"eventType": "git.push", "publisherId": "tfs", "resource": {"refUpdates": refs}}


def github_headers(body: bytes) -> dict[str, str]:
    return {
        "x-github-event": "push",
        "x-github-delivery": str(uuid.uuid4()),
        "x-hub-signature": "sha1=" + hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha1).hexdigest(),
        "x-hub-signature-256": "sha256=" + hub_signature(body),
        "content-type": "application/json",
    }


PROVIDERS: dict[str, tuple[Callable[[Sequence[Update]], dict[str, Any]], Callable[[bytes], dict[str, str]]]] = {
    "github": (github_like, github_headers),
    "gitlab": (github_like, lambda body: {"x-gitlab-event": "Push Hook", "x-gitlab-token": WEBHOOK_SECRET}),
    "gitea": (github_like, lambda body: {"x-gitea-event": "push", "x-gitea-signature": hub_signature(body)}),
    "bitbucket-server": (
        bitbucket_server,
        lambda body: {"x-event-key": "repo:refs_changed", "x-hub-signature": "sha256=" + hub_signature(body)},
    ),
    "bitbucket-cloud": (
        bitbucket_cloud,
        lambda body: {"x-event-key": "repo:push", "x-hub-signature": "sha256=" + hub_signature(body).upper()},
    ),
    "azure-devops": (azure_devops, lambda body: {"authorization": basic("azure", WEBHOOK_SECRET)}),
}


def request(
    body: bytes,
    headers: dict[str, str],
    path: str = "/model_build",
    method: str = "POST",
    encode: bool = False,
) -> dict[str, Any]:
    """An API Gateway HTTP API event (payload format 2.0, the shape a Lambda function URL sends too)."""
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"host": "abc.lambda-url.eu-west-1.on.aws", "user-agent": "hook/1.0"} | headers,
        "requestContext": {"http": {"method": method, "path": path, "sourceIp": "192.0.2.1"}},
        "body": base64.b64encode(body).decode() if encode else body.decode(),
        "isBase64Encoded": encode,
    }


def push(provider: str, updates: Sequence[Update], path: str = "/model_build") -> dict[str, Any]:
    """A signed push delivery; Azure DevOps' body base64-encoded (as a function URL passes a binary body)."""
    make_payload, make_headers = PROVIDERS[provider]
    body = json.dumps(make_payload(updates)).encode()
    return request(body, make_headers(body), path, encode=provider == "azure-devops")


def zip_files(data: bytes) -> dict[str, tuple[bytes, bool]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            info.filename: (archive.read(info), bool(info.external_attr >> 16 & 0o100)) for info in archive.infolist()
        }


def own_logs(caplog: pytest.LogCaptureFixture) -> str:
    names = {git_webhook.LOG.name, githttp.LOG.name}
    text = "\n".join(record.getMessage() for record in caplog.records if record.name in names)
    assert text
    return text


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_signed_push_exports_the_branch_head(site: Site, provider: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    status, body = site.deliver(push(provider, [("refs/heads/main", site.head)]))

    assert (status, body) == (200, {"status": "exported", "commit": site.head, "key": site.target.key})
    found = site.exported()
    assert found is not None
    assert zip_files(found["Data"]) == archive_files(site.server, REPO, site.head)  # docs/link: skipped
    assert found["Metadata"] == {"commit": site.head, "branch": "main", "repository": REPO_URL}
    assert (found["ServerSideEncryption"], found["SSEKMSKeyId"]) == ("aws:kms", site.aws.kms_key_arn)
    assert found["ContentType"] == "application/zip"
    logs = own_logs(caplog)
    assert "docs/link is a symbolic link: skipped" in logs
    assert TOKEN not in logs and WEBHOOK_SECRET not in logs


def test_github_form_encoded_payload_is_read(site: Site) -> None:
    body = urllib.parse.urlencode({"payload": json.dumps(github_like([("refs/heads/main", site.head)]))}).encode()
    headers = github_headers(body) | {"content-type": "application/x-www-form-urlencoded"}

    assert site.deliver(request(body, headers))[1]["status"] == "exported"


def test_zip_is_deterministic_and_byte_identical_across_exports(site: Site) -> None:
    site.deliver(push("github", [("refs/heads/main", site.head)]))
    other = replace(site.target, key=site.target.key + ".again")
    config = replace(site.config, targets={"model_build": other})

    assert site.deliver(push("gitlab", [("refs/heads/main", site.head)]), config)[1]["status"] == "exported"

    first, second = site.exported(), site.aws.object(other.key)
    assert first is not None and second is not None
    assert first["Data"] == second["Data"]
    with zipfile.ZipFile(io.BytesIO(first["Data"])) as archive:
        infos = archive.infolist()
    assert [info.filename for info in infos] == sorted(FILES)
    assert {info.date_time for info in infos} == {time.gmtime(HEAD_DATE)[:6]}
    assert {info.filename: oct(info.external_attr >> 16) for info in infos} == {
        name: oct(0o100755 if name in EXECUTABLE else 0o100644) for name in FILES
    }


# --- who may call, and what ----------------------------------------------------------------------------------------


def signed_body(body: bytes) -> dict[str, str]:
    return {"x-hub-signature-256": "sha256=" + hub_signature(body)}


BODY = json.dumps(github_like([("refs/heads/main", "b" * 40)])).encode()
REFUSED = {
    "no-credentials": {"x-github-event": "push"},
    "hmac-with-another-secret": {"x-hub-signature-256": "sha256=" + hub_signature(BODY, "another-secret")},
    "hmac-of-another-body": {"x-hub-signature-256": "sha256=" + hub_signature(BODY + b" ")},
    "hmac-sha1-only": {"x-hub-signature": "sha1=" + hmac.new(WEBHOOK_SECRET.encode(), BODY, hashlib.sha1).hexdigest()},
    "empty-signature": {"x-hub-signature-256": "sha256=", "x-gitea-signature": ""},
    "gitea-wrong": {"x-gitea-signature": hub_signature(BODY, "x")},
    "gitlab-wrong-token": {"x-gitlab-token": WEBHOOK_SECRET + "x"},
    "basic-wrong-password": {"authorization": basic("azure", "not-the-secret")},
    "basic-malformed": {"authorization": "Basic !!!"},
    "bearer": {"authorization": f"Bearer {WEBHOOK_SECRET}"},
}


@pytest.mark.parametrize("headers", REFUSED.values(), ids=REFUSED.keys())
def test_caller_without_a_valid_signature_or_token_is_refused(site: Site, headers: dict[str, str]) -> None:
    status, body = site.deliver(request(BODY, headers))

    assert (status, body["status"]) == (401, "error")
    assert site.exported() is None
    assert site.git_requests() == 0


def test_unknown_target_method_and_size_are_refused(site: Site) -> None:
    status, body = site.deliver(request(BODY, signed_body(BODY), path="/model_train"))
    assert (status, body["message"]) == (404, "no target 'model_train' (targets: model_build, model_deploy)")
    assert site.deliver(request(BODY, {}, path="/model_train"))[0] == 401  # nothing revealed before verification

    answer = git_webhook.handle(
        request(b"", {}, method="GET"), config=site.config, secretsmanager=site.aws.secrets, s3=site.aws.s3
    )
    assert (answer["statusCode"], answer["headers"]["allow"]) == (405, "POST")

    large = b" " * (git_webhook.MAX_BODY_BYTES + 1)
    assert site.deliver(request(large, signed_body(large)))[0] == 413
    assert site.deliver(request(b"{", signed_body(b"{")))[0] == 400
    assert site.git_requests() == 0 and site.exported() is None


@pytest.mark.parametrize("provider", sorted(PROVIDERS))
@pytest.mark.parametrize(
    ("updates", "reason"),
    [
        ([("refs/heads/dev", "c" * 40)], "does not update refs/heads/main (refs/heads/dev)"),
        ([("refs/tags/v1.0", "c" * 40)], "does not update refs/heads/main (refs/tags/v1.0)"),
        ([("refs/heads/main", ZERO)], "the push deletes refs/heads/main"),
    ],
    ids=["other-branch", "tag", "branch-deletion"],
)
def test_pushes_that_do_not_update_the_branch_are_ignored(
    site: Site, provider: str, updates: list[Update], reason: str
) -> None:
    status, body = site.deliver(push(provider, updates))

    assert (status, body["status"]) == (202, "ignored")
    assert reason in body["reason"]
    assert site.exported() is None
    assert site.git_requests() == 0


def test_ping_test_and_other_events_are_ignored(site: Site) -> None:
    ping = json.dumps({"zen": "Keep it logically awesome.", "hook_id": 1}).encode()
    test = json.dumps({"test": True}).encode()
    pull = json.dumps({"eventType": "git.pullrequest.created", "resource": {}}).encode()
    cases = [
        (ping, {"x-github-event": "ping"} | signed_body(ping), "ping event"),
        (test, {"x-event-key": "diagnostics:ping", "x-hub-signature": "sha256=" + hub_signature(test)}, "ping"),
        (ping, {"x-github-event": "issues"} | signed_body(ping), "issues event: only pushes"),
        (test, {"x-gitlab-event": "Merge Request Hook", "x-gitlab-token": WEBHOOK_SECRET}, "Merge Request Hook"),
        (pull, {"authorization": basic("", WEBHOOK_SECRET)}, "git.pullrequest.created event"),
        (test, signed_body(test), "reports no push"),
    ]
    for body, headers, reason in cases:
        status, answer = site.deliver(request(body, headers))
        assert (status, answer["status"]) == (202, "ignored") and reason in answer["reason"], answer
    assert site.exported() is None and site.git_requests() == 0


# --- convergence ---------------------------------------------------------------------------------------------------


def test_second_delivery_is_unchanged(site: Site) -> None:
    event = push("bitbucket-server", [("refs/heads/main", site.head)])
    assert site.deliver(event)[1]["status"] == "exported"
    exported = site.exported()
    assert exported is not None

    status, body = site.deliver(event)

    assert (status, body) == (200, {"status": "unchanged", "commit": site.head, "key": site.target.key})
    again = site.exported()
    assert again is not None and again["VersionId"] == exported["VersionId"]  # not written again
    assert site.upload_packs() == 1  # the second delivery fetched nothing


def test_late_delivery_exports_the_newest_head(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    newest = site.server.commit(REPO, "main", {"README.md": b"# newer\n", "new.txt": b"new\n"})

    status, body = site.deliver(push("azure-devops", [("refs/heads/main", site.head)]))  # the older push, late

    assert (status, body["status"], body["commit"]) == (200, "exported", newest)
    found = site.exported()
    assert found is not None and found["Metadata"]["commit"] == newest
    assert zip_files(found["Data"]) == archive_files(site.server, REPO, newest)
    assert f"the push reported {site.head}, refs/heads/main of {REPO_URL} is at {newest}" in own_logs(caplog)

    assert site.deliver(push("gitea", [("refs/heads/main", newest)]))[1]["status"] == "unchanged"


@pytest.mark.parametrize("before", ["absent", "older"])
def test_export_replaced_concurrently_is_not_overwritten_with_an_older_commit(site: Site, before: str) -> None:
    """While this delivery fetches the head, a newer commit lands and another delivery exports it first: this
    delivery's conditional write (If-None-Match when the object was absent, If-Match its ETag when it held an older
    commit) fails, it reads the head again and finds the object up to date."""
    if before == "older":
        site.aws.s3.put_object(Bucket=BUCKET, Key=site.target.key, Body=b"older", Metadata={"commit": "e" * 40})
    newer: list[str] = []

    def land_and_export(incoming: HttpRequest) -> HttpResponse | None:
        if incoming.method == "POST" and incoming.service == "git-upload-pack" and not newer:
            newer.append(site.server.commit(REPO, "main", {"late.txt": b"late\n"}))
            site.aws.s3.put_object(Bucket=BUCKET, Key=site.target.key, Body=b"theirs", Metadata={"commit": newer[0]})
        return None

    site.server.interceptors.append(land_and_export)

    status, body = site.deliver(push("github", [("refs/heads/main", site.head)]))

    assert (status, body["status"], body["commit"]) == (200, "unchanged", newer[0])
    found = site.exported()
    assert found is not None and (found["Data"], found["Metadata"]["commit"]) == (b"theirs", newer[0])
    assert site.upload_packs() == 1  # fetched once; the second round found the newer commit exported


def test_api_gateway_route_parameter_names_the_target(site: Site) -> None:
    event = push("github", [("refs/heads/main", site.head)], path="/prod/model_build")
    event["pathParameters"] = {"target": "model_build"}  # route POST /{target} of a stage named prod

    assert site.deliver(event)[1] == {"status": "exported", "commit": site.head, "key": site.target.key}


# --- direct exports ------------------------------------------------------------------------------------------------


def test_direct_export_exports_the_head_and_raises_on_failure(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)

    def export(name: str, config: git_webhook.Config | None = None) -> dict[str, Any]:
        return git_webhook.direct_export(
            {"export": name},
            config=config or site.config,
            secretsmanager=site.aws.secrets,
            s3=site.aws.s3,
            endpoint_url=site.server.url,
        )

    assert export("model_build") == {"status": "exported", "commit": site.head, "key": site.target.key}
    found = site.exported()
    assert found is not None and zip_files(found["Data"]) == archive_files(site.server, REPO, site.head)
    assert export("model_build")["status"] == "unchanged"

    with pytest.raises(git_webhook.ExportError, match=r"no target 'x' to export \(targets: model_build, model_deploy"):
        export("x")
    wrong = "ghp-Wr0ngDirectT0ken"
    arn = site.aws.put_secret({"username": USER, "token": wrong, "webhook_secret": WEBHOOK_SECRET})
    with pytest.raises(
        git_webhook.ExportError,
        match=rf"of {REPO_URL} \(target model_build\): the credentials of secret {arn} were refused",
    ) as caught:
        export("model_build", replace(site.config, secret_arn=arn))
    assert wrong not in str(caught.value) + own_logs(caplog)


def test_deliveries_cannot_ask_for_a_direct_export(site: Site) -> None:
    event = request(BODY, {}) | {"export": "model_build"}  # it has a requestContext: a delivery, unsigned
    assert not git_webhook.is_direct(event)
    assert site.deliver(event)[0] == 401
    assert site.exported() is None and site.git_requests() == 0


# --- failures ------------------------------------------------------------------------------------------------------


def test_wrong_repository_token_is_502_naming_the_repository_and_secret(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "ghp-WrongT0kenValue"
    arn = site.aws.put_secret({"username": USER, "token": wrong, "webhook_secret": WEBHOOK_SECRET})
    config = replace(site.config, secret_arn=arn)

    status, body = site.deliver(push("github", [("refs/heads/main", site.head)]), config)

    assert (status, body["status"]) == (502, "error")
    message = body["message"]
    assert REPO_URL in message and arn in message and "refused" in message
    logs = own_logs(caplog)
    for secret in (wrong, TOKEN, WEBHOOK_SECRET):
        assert secret not in message and secret not in logs
    assert site.exported() is None


def test_misconfiguration_is_500(site: Site) -> None:
    arn = site.aws.put_secret({"username": USER, "token": TOKEN})
    status, body = site.deliver(push("github", [("refs/heads/main", site.head)]), replace(site.config, secret_arn=arn))
    assert (status, body["message"]) == (500, "the function's secret has no webhook_secret: see its log")

    http_url = replace(site.target, repository_url="http://git.example.com/team/model-build.git")
    config = replace(site.config, targets={"model_build": http_url})
    status, body = site.deliver(push("github", [("refs/heads/main", site.head)]), config)
    assert status == 500 and "must be an https:// URL" in body["message"]
    assert site.git_requests() == 0


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ("not json", "TARGETS is not valid JSON"),
        ("{}", "TARGETS must be a non-empty JSON object"),
        ('{"a": {"branch": "main", "bucket": "b"}}', "target 'a' has no valid (string) field(s): key"),
        ('{"a b": {"branch": "main", "bucket": "b", "key": "k"}}', "a target name may hold only"),
        ('{"a": {"branch": "bad..name", "bucket": "b", "key": "k"}}', "is not a valid git branch name"),
    ],
)
def test_invalid_targets_are_refused(targets: str, message: str) -> None:
    with pytest.raises(git_webhook.WebhookConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        git_webhook.Config.from_environ({"SECRET_ARN": "arn", "TARGETS": targets})


def test_handler_reads_its_configuration_from_the_environment(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    targets = {
        name: {"repository_url": target.repository_url, "branch": "main", "bucket": BUCKET, "key": target.key}
        for name, target in site.config.targets.items()
    }
    targets["model_build"]["kms_key_arn"] = site.aws.kms_key_arn  # model_deploy: the bucket's aws/s3 key
    monkeypatch.setenv("TARGETS", json.dumps(targets))
    monkeypatch.setenv("SECRET_ARN", site.aws.secret_arn)
    monkeypatch.setenv(githttp.ENDPOINT_ENV, site.server.url)

    answer = git_webhook.handler(push("gitlab", [("refs/heads/main", site.head)]), None)

    assert (answer["statusCode"], json.loads(answer["body"])["commit"]) == (200, site.head)
    found = site.exported()
    assert found is not None
    assert (found["ServerSideEncryption"], found["SSEKMSKeyId"]) == ("aws:kms", site.aws.kms_key_arn)

    deploy = site.config.targets["model_deploy"]
    site.server.create_repo("team/deploy.git")
    assert git_webhook.handler({"export": "model_deploy"}, None) == {"status": "ignored", "reason": ANY}  # empty
    site.server.commit("team/deploy.git", "main", {"deploy.yml": b"stages: []\n"})
    direct = git_webhook.handler({"export": "model_deploy"}, None)
    assert direct["status"] == "exported"
    exported = site.aws.object(deploy.key)
    assert exported is not None and "SSEKMSKeyId" not in exported  # no kms_key_arn: the bucket's aws/s3 key

    monkeypatch.setenv("TARGETS", "[]")
    answer = git_webhook.handler(push("gitlab", [("refs/heads/main", site.head)]), None)
    assert (answer["statusCode"], json.loads(answer["body"])["message"]) == (
        500,
        "the function is misconfigured: see its log",
    )
    with pytest.raises(git_webhook.WebhookConfigError, match="TARGETS must be a non-empty JSON object"):
        git_webhook.handler({"export": "model_build"}, None)  # a direct export fails loudly


def test_module_imports_only_the_standard_library_boto3_and_githttp(tmp_path: Path) -> None:
    assert absolute_imports(git_webhook) == {"boto3", "botocore", "githttp"}  # githttp: shipped alongside
    words = load_alone([git_webhook, githttp], tmp_path, "git_webhook.__version__, git_webhook.githttp.__name__")
    assert words == [git_webhook.__version__, "githttp", "False"]
