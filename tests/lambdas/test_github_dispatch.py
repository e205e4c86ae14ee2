"""The GitHub dispatch function against a real local HTTP server standing in for the GitHub REST API (http.server in a
thread: method, path, headers and body as sent on the wire), Secrets Manager on moto, and the documented SageMaker
"Model Package State Change" sample event."""

from __future__ import annotations

import copy
import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import pytest

from mlops_templates.lambdas import github_dispatch
from mlops_templates.lambdas.github_dispatch import (
    ConfigError,
    DispatchAuthError,
    DispatchError,
    DispatchFailedError,
    EventError,
)
from tests.harness.moto import offline_aws
from tests.lambdas.test_githttp import absolute_imports, load_alone

TOKEN = "github_pat_11AAAAAAA0secretT0ken"
GROUP = "Churn-Model-p-zyx987654321-models"
PACKAGE_ARN = "arn:aws:sagemaker:eu-west-1:123456789012:model-package/churn-model-p-zyx987654321-models/3"
# The sample event of the SageMaker documentation ("SageMaker Model Package State Change"), for a project's group.
EVENT: dict[str, Any] = {
    "version": "0",
    "id": "7f3e2c6a-1111-2222-3333-444455556666",
    "detail-type": "SageMaker Model Package State Change",
    "source": "aws.sagemaker",
    "account": "123456789012",
    "time": "2026-11-26T05:00:00Z",
    "region": "eu-west-1",
    "resources": [PACKAGE_ARN],
    "detail": {
        "ModelPackageGroupName": GROUP,
        "ModelPackageVersion": 3,
        "ModelPackageArn": PACKAGE_ARN,
        "CreationTime": 1764133200000,
        "ModelPackageStatus": "Completed",
        "ModelApprovalStatus": "Approved",
        "ApprovalDescription": "approved after review",
    },
}


def event(**detail: Any) -> dict[str, Any]:
    changed = copy.deepcopy(EVENT)
    changed["detail"].update(detail)
    return changed


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeGitHub:
    """A local HTTP server answering each path with the next of its scripted statuses (then 204)."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    answers: dict[str, list[int]] = field(default_factory=dict)

    def of(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            fake.received.append(Received("POST", self.path, dict(self.headers.items()), body))
            scripted = fake.answers.get(self.path) or []
            status = scripted.pop(0) if scripted else 204
            self.send_response(status)
            if status == 301:
                self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            text = b"" if status in (204, 301) else json.dumps({"message": f"scripted {status}"}).encode()
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/api/v3"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def aws() -> Iterator[tuple[Any, str]]:
    with offline_aws():
        client = boto3.client("secretsmanager")
        arn = client.create_secret(Name="churn/github", SecretString=json.dumps({"token": TOKEN}))["ARN"]
        yield client, arn


def environ(github: FakeGitHub, secret_arn: str, **more: str) -> dict[str, str]:
    return {
        "REPOSITORIES": json.dumps(["ml-team/churn-modelbuild", "ml-team/churn-modeldeploy"]),
        "SECRET_ARN": secret_arn,
        "GITHUB_API_URL": github.url,
        **more,
    }


def no_sleep(seconds: float) -> None:
    SLEPT.append(seconds)


SLEPT: list[float] = []


def test_an_approval_dispatches_to_every_repository(github: FakeGitHub, aws: tuple[Any, str]) -> None:
    client, arn = aws
    result = github_dispatch.notify(EVENT, environ(github, arn), client)

    assert [(r.method, r.path) for r in github.received] == [
        ("POST", "/api/v3/repos/ml-team/churn-modelbuild/dispatches"),
        ("POST", "/api/v3/repos/ml-team/churn-modeldeploy/dispatches"),
    ]
    payload = {
        "model_package_arn": PACKAGE_ARN,
        "model_package_group_name": GROUP,
        "approval_status": "Approved",
        "model_package_version": 3,
    }
    for request in github.received:
        headers = {k.lower(): v for k, v in request.headers.items()}
        assert headers["authorization"] == f"Bearer {TOKEN}"
        assert headers["accept"] == "application/vnd.github+json"
        assert headers["x-github-api-version"] == "2022-11-28"
        assert headers["user-agent"] == f"sagemaker-mlops-templates-github-dispatch/{github_dispatch.__version__}"
        assert headers["content-type"] == "application/json"
        body = json.loads(request.body)
        assert body == {"event_type": "model-approval", "client_payload": payload}
        assert len(body["client_payload"]) <= 10  # GitHub's limit of top-level client_payload keys
    assert result == {
        "status": "dispatched",
        "event_type": "model-approval",
        "repositories": ["ml-team/churn-modelbuild", "ml-team/churn-modeldeploy"],
        **payload,
    }


def test_a_rejection_with_a_custom_event_type(github: FakeGitHub, aws: tuple[Any, str]) -> None:
    client, arn = aws
    env = environ(github, arn, EVENT_TYPE="sagemaker-model", REPOSITORIES='["ml-team/churn-modeldeploy"]')
    github_dispatch.notify(event(ModelApprovalStatus="Rejected"), env, client)

    (request,) = github.received
    body = json.loads(request.body)
    assert body["event_type"] == "sagemaker-model"
    assert body["client_payload"]["approval_status"] == "Rejected"


def test_the_handler_reads_the_environment_and_secrets_manager(
    github: FakeGitHub, aws: tuple[Any, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, arn = aws
    for key, value in environ(github, arn).items():
        monkeypatch.setenv(key, value)
    assert github_dispatch.handler(EVENT, None)["status"] == "dispatched"
    assert len(github.received) == 2


@pytest.mark.parametrize("status", ["PendingManualApproval", None])
def test_other_statuses_are_ignored_without_reading_the_secret(github: FakeGitHub, status: str | None) -> None:
    with offline_aws():  # no secret exists: reading it would fail
        env = environ(github, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:none-AbCdEf")
        result = github_dispatch.notify(event(ModelApprovalStatus=status), env, boto3.client("secretsmanager"))
    assert result["status"] == "ignored" and str(status) in result["reason"]
    assert github.received == []


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({**EVENT, "detail-type": "CodeCommit Repository State Change"}, "not a 'SageMaker Model Package"),
        ({**EVENT, "source": "aws.codecommit"}, "not a 'SageMaker Model Package"),
        ({**EVENT, "detail": "x"}, "no detail"),
        (event(ModelPackageArn=None) | {"detail": {"ModelApprovalStatus": "Approved"}}, "lacks a usable"),
        (event(ModelPackageVersion="three"), "lacks a usable"),
    ],
    ids=["detail-type", "source", "detail", "fields", "version"],
)
def test_malformed_events_are_errors(
    github: FakeGitHub, aws: tuple[Any, str], changed: dict[str, Any], message: str
) -> None:
    client, arn = aws
    with pytest.raises(EventError, match=message):
        github_dispatch.notify(changed, environ(github, arn), client)
    assert github.received == []


@pytest.mark.parametrize("status", [401, 403, 404])
def test_refused_token_names_repository_and_secret_not_the_token(
    github: FakeGitHub, aws: tuple[Any, str], status: int, caplog: pytest.LogCaptureFixture
) -> None:
    client, arn = aws
    github.answers["/api/v3/repos/ml-team/churn-modelbuild/dispatches"] = [status]
    caplog.set_level(logging.INFO, logger=github_dispatch.__name__)

    with pytest.raises(DispatchError, match="1 of 2 dispatches failed") as caught:
        github_dispatch.notify(EVENT, environ(github, arn), client, sleep=no_sleep)

    message = str(caught.value)
    assert f"repository ml-team/churn-modelbuild (token of secret {arn})" in message
    assert f"HTTP {status}: scripted {status}" in message
    assert TOKEN not in message and TOKEN not in caplog.text
    # Not retried; the other repository was still notified.
    assert len(github.of("/api/v3/repos/ml-team/churn-modelbuild/dispatches")) == 1
    assert len(github.of("/api/v3/repos/ml-team/churn-modeldeploy/dispatches")) == 1


def test_refusal_is_a_typed_error(github: FakeGitHub, aws: tuple[Any, str]) -> None:
    _, arn = aws
    config = github_dispatch.settings(environ(github, arn))
    github.answers["/api/v3/repos/ml-team/churn-modelbuild/dispatches"] = [404]
    with pytest.raises(DispatchAuthError, match="the repository does not exist or the token cannot see it"):
        github_dispatch.dispatch("ml-team/churn-modelbuild", {"event_type": "x"}, TOKEN, config, _opener())
    github.answers["/api/v3/repos/ml-team/churn-modelbuild/dispatches"] = [422]
    with pytest.raises(DispatchFailedError, match=r"not accepted \(HTTP 422: scripted 422\)"):
        github_dispatch.dispatch("ml-team/churn-modelbuild", {"event_type": "x"}, TOKEN, config, _opener())


def _opener() -> github_dispatch.Opener:
    return github_dispatch.default_opener()


def test_server_errors_are_retried_with_backoff(github: FakeGitHub, aws: tuple[Any, str]) -> None:
    client, arn = aws
    SLEPT.clear()
    github.answers["/api/v3/repos/ml-team/churn-modelbuild/dispatches"] = [502, 503, 429]

    github_dispatch.notify(EVENT, environ(github, arn), client, sleep=no_sleep)

    assert len(github.of("/api/v3/repos/ml-team/churn-modelbuild/dispatches")) == 4
    assert SLEPT == [1.0, 2.0, 4.0]


def test_persistent_server_errors_fail_after_the_attempts(github: FakeGitHub, aws: tuple[Any, str]) -> None:
    client, arn = aws
    SLEPT.clear()
    github.answers["/api/v3/repos/ml-team/churn-modeldeploy/dispatches"] = [500] * 10

    with pytest.raises(DispatchError, match=r"failed after 4 attempts: HTTP 500: scripted 500"):
        github_dispatch.notify(EVENT, environ(github, arn), client, sleep=no_sleep)
    assert len(github.of("/api/v3/repos/ml-team/churn-modeldeploy/dispatches")) == github_dispatch.ATTEMPTS


def test_unreachable_api_is_retried_then_an_error(aws: tuple[Any, str]) -> None:
    client, arn = aws
    SLEPT.clear()
    env = {"REPOSITORIES": '["ml-team/churn"]', "SECRET_ARN": arn, "GITHUB_API_URL": "http://127.0.0.1:9"}
    with pytest.raises(DispatchError, match=r"failed after 4 attempts: network error") as caught:
        github_dispatch.notify(EVENT, env, client, sleep=no_sleep)
    assert TOKEN not in str(caught.value)
    assert len(SLEPT) == 3


def test_redirects_are_not_followed(github: FakeGitHub, aws: tuple[Any, str]) -> None:
    client, arn = aws
    github.answers["/api/v3/repos/ml-team/churn-modelbuild/dispatches"] = [301]
    with pytest.raises(DispatchError, match=r"not accepted \(HTTP 301"):
        github_dispatch.notify(EVENT, environ(github, arn), client)
    assert [r.path for r in github.received if "elsewhere" in r.path] == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (None, "https://api.github.com"),
        ("https://github.example.com/api/v3/", "https://github.example.com/api/v3"),
        ("http://localhost:8080/api/v3", "http://localhost:8080/api/v3"),
        ("http://[::1]:8080", "http://[::1]:8080"),
    ],
)
def test_api_url(url: str | None, expected: str) -> None:
    env = {"REPOSITORIES": '["a/b"]', "SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:1:secret:x"}
    assert github_dispatch.settings(env | ({"GITHUB_API_URL": url} if url else {})).api_url == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GITHUB_API_URL": "http://github.example.com/api/v3"}, "plain http is refused"),
        ({"GITHUB_API_URL": "ftp://github.example.com"}, "must be an https:// URL"),
        ({"GITHUB_API_URL": "https://user:pw@github.example.com"}, "must be an https:// URL"),
        ({"GITHUB_API_URL": "https://github.example.com/api?x=1"}, "query"),
        ({"REPOSITORIES": "[]"}, "non-empty JSON list"),
        ({"REPOSITORIES": "ml-team/churn"}, "not JSON"),
        ({"REPOSITORIES": '["ml-team/churn/x", "../x", "-team/x"]'}, 'not "owner/repo"'),
        ({"SECRET_ARN": "churn/github"}, "is not an ARN"),
        ({"EVENT_TYPE": "x" * 101}, "1-100 characters"),
    ],
)
def test_bad_configuration_is_refused(env: dict[str, str], message: str) -> None:
    base = {"REPOSITORIES": '["a/b"]', "SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:1:secret:x"}
    with pytest.raises(ConfigError, match=message):
        github_dispatch.settings(base | env)
    with pytest.raises(ConfigError, match="lacks SECRET_ARN"):
        github_dispatch.settings({"REPOSITORIES": '["a/b"]'})


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        ('{"username": "x"}', "must hold a JSON SecretString"),
        ("not json", "must hold"),
        ('{"token": " "}', "non-empty"),
    ],
)
def test_unusable_secret_is_a_configuration_error(github: FakeGitHub, secret: str, message: str) -> None:
    with offline_aws():
        client = boto3.client("secretsmanager")
        arn = client.create_secret(Name="bad", SecretString=secret)["ARN"]
        with pytest.raises(ConfigError, match=message):
            github_dispatch.notify(EVENT, environ(github, arn), client)
        missing = arn.replace("bad", "missing")
        with pytest.raises(ConfigError, match=f"cannot read secret {missing}"):
            github_dispatch.notify(EVENT, environ(github, missing), client)
    assert github.received == []


def test_module_loads_alone_with_the_standard_library_and_boto3(tmp_path: Path) -> None:
    assert absolute_imports(github_dispatch) <= {"boto3", "botocore"}
    assert load_alone([github_dispatch], tmp_path, "github_dispatch.__version__") == [
        github_dispatch.__version__,
        "False",
    ]
