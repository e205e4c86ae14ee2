"""The git-seed Lambda handler against a real git smart-HTTP server (``git http-backend``, tests/harness/git_server.py);
S3 and Secrets Manager on moto.

The handler speaks to ``http://127.0.0.1:<port>`` through ``GIT_HTTP_ENDPOINT_URL``, which replaces the scheme and
host of the repository URL (the event's https URL, or the CodeConnections git-http URL) and keeps its path: so the
repositories are created on the server at those paths.
"""

from __future__ import annotations

import ast
import calendar
import io
import json
import logging
import random
import stat
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.credentials import ReadOnlyCredentials

from mlops_templates.lambdas import git_seed, githttp
from tests.harness.git_server import BasicAuth, CodeCommitSigV4, GitServer, HttpRequest, HttpResponse
from tests.harness.moto import offline_aws

REGION = "eu-west-1"
BUCKET = "catalog-artifacts-123456789012"
KEY = "seed/build-train-deploy/model-build/1.0.0/abc.zip"
LOCATION = f"s3://{BUCKET}/{KEY}"
USER = "seed-bot"
TOKEN = "glpat-Sup3rS3cretT0ken"
REPO = "team/seed.git"
REPO_URL = f"https://git.example.com/{REPO}"
CONNECTION_ID = "0a1b2c3d-4e5f-6789-abcd-ef0123456789"
CONNECTION_ARN = f"arn:aws:codeconnections:{REGION}:123456789012:connection/{CONNECTION_ID}"
CONNECTION_REPO = f"git-http/123456789012/{REGION}/{CONNECTION_ID}/owner/models.git"
CREDENTIALS = ReadOnlyCredentials("AKIAEXAMPLEKEY", "example-secret-key", "example-session-token")
STAGING = "refs/heads/mlops-seed/main"
LATEST: tuple[int, int, int, int, int, int] = (2024, 5, 6, 7, 8, 10)

FILES = {
    "README.md": b"# seed\n",
    "lib.py": b"print('lib')\n",
    "lib-a.txt": b"a\n",
    "lib/x.py": b"x = 1\n",
    "pipelines/run.py": b"print('run')\n",
    "scripts/build.sh": b"#!/bin/sh\necho build\n",
    "empty.txt": b"",
}
EXECUTABLE = frozenset({"scripts/build.sh"})


def make_zip(
    files: dict[str, bytes],
    executable: frozenset[str] = EXECUTABLE,
    latest: tuple[int, int, int, int, int, int] = LATEST,
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("pipelines/", date_time=(2020, 1, 1, 0, 0, 0)), b"")
        for index, (name, content) in enumerate(files.items()):
            date = latest if index == 0 else (2021, 1, 1, 0, 0, 0)
            info = zipfile.ZipInfo(name, date_time=date)
            mode = 0o755 if name in executable else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def big_files(count: int = 12, size: int = 40_000) -> dict[str, bytes]:
    """Incompressible files, the same on every call."""
    rng = random.Random(7)
    return {f"data/part-{index:02d}.bin": rng.randbytes(size) for index in range(count)}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[GitServer]:
    with GitServer(tmp_path / "git", auth=BasicAuth(USER, TOKEN)) as running:
        yield running


@dataclass(frozen=True)
class Aws:
    """S3 and Secrets Manager on moto (one mock for the module: creating clients is the slow part), the bucket, and
    the secret holding USER and TOKEN."""

    s3: Any
    secrets: Any
    secret_arn: str

    def put_secret(self, value: dict[str, Any]) -> str:
        return str(self.secrets.create_secret(Name=f"git/{uuid.uuid4().hex}", SecretString=json.dumps(value))["ARN"])

    def seed(self, event: dict[str, Any]) -> dict[str, Any]:
        """The handler's work with the module's clients (``handler`` builds its own: see the tests that call it)."""
        return git_seed.push(event, s3=self.s3, secretsmanager=self.secrets)


@pytest.fixture(scope="module")
def aws() -> Iterator[Aws]:
    with offline_aws(REGION):
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        secrets = boto3.client("secretsmanager", region_name=REGION)
        arn = secrets.create_secret(Name="git/seed", SecretString=json.dumps({"username": USER, "token": TOKEN}))
        yield Aws(s3, secrets, str(arn["ARN"]))


@pytest.fixture
def event(server: GitServer, aws: Aws, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A secret-remote event for REPO (created empty), with the seed zip of FILES uploaded."""
    aws.s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip(FILES))
    monkeypatch.setenv(githttp.ENDPOINT_ENV, server.url)
    server.create_repo(REPO)
    return {
        "remote": {"kind": "secret", "secret_arn": aws.secret_arn, "repository_url": REPO_URL},
        "branch": "main",
        "seed_bucket": BUCKET,
        "seed_key": KEY,
        "commit_message": "Initial commit",
        "author_name": "Platform Team",
        "author_email": "platform@example.com",
    }


def own_logs(caplog: pytest.LogCaptureFixture) -> str:
    """What the function logged (botocore's own DEBUG log shows Secrets Manager answers: not the function's doing)."""
    text = "\n".join(record.getMessage() for record in caplog.records if record.name == git_seed.LOG.name)
    assert text  # the function did log
    return text


def receive_packs(server: GitServer) -> int:
    return sum(1 for entry in server.log if entry.method == "POST" and entry.service == "git-receive-pack")


def on_push_to(ref: str, action: Callable[[HttpRequest], HttpResponse | None]) -> Callable[..., HttpResponse | None]:
    """An interceptor calling ``action`` (once) for the first receive-pack POST whose commands update ``ref``."""
    done: list[bool] = []

    def intercept(request: HttpRequest) -> HttpResponse | None:
        if done or request.method != "POST" or request.service != "git-receive-pack":
            return None
        if f" {ref}\0".encode() not in request.body:  # the first command's ref, followed by the capabilities
            return None
        done.append(True)
        return action(request)

    return intercept


# --- the first push, and what is left alone ------------------------------------------------------------------------


def test_first_push_creates_the_branch_with_the_zip_s_files(
    server: GitServer, event: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=git_seed.LOG.name)
    result = git_seed.handler(event, None)
    assert TOKEN not in own_logs(caplog)

    head = server.head(REPO, "main")
    assert result == {
        "status": "pushed",
        "repository": REPO_URL,
        "branch": "main",
        "commit": head,
        "files": len(FILES),
        "parts": 1,
        "resumed_after": 0,
    }
    server.fsck(REPO)
    assert set(server.refs(REPO)) == {"refs/heads/main"}
    tree = server.ls_tree(REPO, "main")
    assert {path: mode for path, (mode, _) in tree.items()} == {
        path: "100755" if path in EXECUTABLE else "100644" for path in FILES
    }
    commit = server.cat(REPO, "main")
    stamp = calendar.timegm(LATEST)
    assert f"\nauthor Platform Team <platform@example.com> {stamp} +0000\n" in commit
    assert f"\ncommitter Platform Team <platform@example.com> {stamp} +0000\n" in commit
    assert "\nparent " not in commit
    assert commit.split("\n\n", 1)[1] == f"Initial commit\n\nSeed-Code: {LOCATION}\n"

    clone = server.clone(REPO, tmp_path / "clone", USER, TOKEN, "main")
    checked_out = {
        str(path.relative_to(clone)): path for path in clone.rglob("*") if path.is_file() and ".git" not in path.parts
    }
    assert sorted(checked_out) == sorted(FILES)
    for name, path in checked_out.items():
        assert path.read_bytes() == FILES[name]
        assert bool(path.stat().st_mode & stat.S_IXUSR) == (name in EXECUTABLE)


def test_second_invocation_is_skipped_and_leaves_the_head(server: GitServer, event: dict[str, Any], aws: Aws) -> None:
    first = aws.seed(event)
    posts = receive_packs(server)

    second = aws.seed(event)

    assert second == {
        "status": "skipped",
        "reason": "exists",
        "repository": REPO_URL,
        "branch": "main",
        "head": first["commit"],
    }
    assert server.head(REPO, "main") == first["commit"]
    assert receive_packs(server) == posts


def test_branch_with_someone_s_commits_is_left_alone_and_another_branch_is_seeded(
    server: GitServer, event: dict[str, Any], aws: Aws
) -> None:
    theirs = server.commit(REPO, "main", {"theirs.txt": b"their work\n"})

    result = aws.seed(event)

    assert (result["status"], result["reason"], result["head"]) == ("skipped", "exists", theirs)
    assert server.refs(REPO) == {"refs/heads/main": theirs}
    assert receive_packs(server) == 0

    pushed = aws.seed(event | {"branch": "seed/dev"})
    assert pushed["status"] == "pushed"
    assert server.refs(REPO) == {"refs/heads/main": theirs, "refs/heads/seed/dev": pushed["commit"]}
    assert set(server.ls_tree(REPO, "seed/dev")) == set(FILES)
    server.fsck(REPO)


# --- credentials and remotes ---------------------------------------------------------------------------------------


def test_wrong_token_is_refused_naming_the_secret(
    server: GitServer, event: dict[str, Any], aws: Aws, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=git_seed.LOG.name)
    wrong = "wrong-T0ken-value"
    arn = aws.put_secret({"username": USER, "token": wrong, "url": REPO_URL})

    with pytest.raises(git_seed.GitSeedError) as caught:
        aws.seed(event | {"remote": {"kind": "secret", "secret_arn": arn}})

    message = str(caught.value)
    assert arn in message and "refused" in message and f"{server.url}/{REPO}" in message
    assert wrong not in message + own_logs(caplog) and TOKEN not in message + own_logs(caplog)
    assert server.refs(REPO) == {}
    assert receive_packs(server) == 0


@pytest.mark.parametrize(
    ("value", "fields"),
    [({"username": USER}, "token"), ({"token": TOKEN, "username": ""}, "username"), ({"x": 1}, "username, token")],
)
def test_secret_without_its_fields_is_refused(
    event: dict[str, Any], aws: Aws, value: dict[str, Any], fields: str
) -> None:
    arn = aws.put_secret(value)
    remote = {"kind": "secret", "secret_arn": arn, "repository_url": REPO_URL}
    with pytest.raises(git_seed.GitSeedError, match=f"secret {arn} has no valid .*field\\(s\\): {fields}$") as caught:
        aws.seed(event | {"remote": remote})
    assert TOKEN not in str(caught.value)


def test_unknown_repository_and_non_git_server_are_reported(server: GitServer, event: dict[str, Any], aws: Aws) -> None:
    missing = event | {"remote": event["remote"] | {"repository_url": "https://git.example.com/team/none.git"}}
    with pytest.raises(git_seed.GitSeedError, match=r"repository https://git.example.com/team/none.git not found"):
        aws.seed(missing)

    server.interceptors.append(
        lambda request: HttpResponse(200, b"<html>login</html>", (("Content-Type", "text/html"),))
    )
    with pytest.raises(git_seed.GitSeedError, match=r"did not answer as a git smart-HTTP server"):
        aws.seed(event)


@pytest.fixture
def sigv4_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitServer]:
    with GitServer(tmp_path / "sigv4", auth=CodeCommitSigV4(CREDENTIALS, REGION)) as running:
        running.create_repo(CONNECTION_REPO)
        monkeypatch.setenv(githttp.ENDPOINT_ENV, running.url)
        yield running


def connection_event() -> dict[str, Any]:
    remote = {"kind": "codeconnections", "connection_arn": CONNECTION_ARN, "full_repository_id": "owner/models"}
    return {"remote": remote, "branch": "main", "seed_bucket": BUCKET, "seed_key": KEY}


def test_codeconnections_remote_signs_in_with_sigv4(sigv4_server: GitServer, aws: Aws) -> None:
    s3 = aws.s3
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip(FILES))

    result = git_seed.push(connection_event(), s3=s3, credentials=CREDENTIALS)

    assert result["status"] == "pushed"
    assert result["repository"] == "owner/models"
    assert sigv4_server.head(CONNECTION_REPO, "main") == result["commit"]
    sigv4_server.fsck(CONNECTION_REPO)
    assert git_seed.push(connection_event(), s3=s3, credentials=CREDENTIALS)["status"] == "skipped"


def test_codeconnections_handler_uses_the_function_s_credentials(
    tmp_path: Path, aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    aws.s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip(FILES))
    monkeypatch.setenv("AWS_SESSION_TOKEN", "function-session-token")
    found = boto3.session.Session().get_credentials()
    assert found is not None
    known = found.get_frozen_credentials()  # what the handler's session finds
    assert known.token == "function-session-token"
    with GitServer(tmp_path / "handler", auth=CodeCommitSigV4(known, REGION)) as running:
        running.create_repo(CONNECTION_REPO)
        monkeypatch.setenv(githttp.ENDPOINT_ENV, running.url)
        assert git_seed.handler(connection_event(), None)["status"] == "pushed"


def test_codeconnections_wrong_credentials_are_refused_naming_the_connection(
    sigv4_server: GitServer, aws: Aws, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=git_seed.LOG.name)
    aws.s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip(FILES))
    wrong = ReadOnlyCredentials(CREDENTIALS.access_key, "not-the-secret-key", CREDENTIALS.token)

    with pytest.raises(git_seed.GitSeedError, match=rf"connection {CONNECTION_ARN} were refused .*HTTP 403") as caught:
        git_seed.push(connection_event(), s3=aws.s3, credentials=wrong)

    assert "example-session-token" not in str(caught.value) + own_logs(caplog)
    assert sigv4_server.refs(CONNECTION_REPO) == {}


def test_connection_url_and_endpoint_override() -> None:
    url, region = githttp.connection_url(CONNECTION_ARN, "owner/models")
    assert (url, region) == (
        f"https://codeconnections.{REGION}.amazonaws.com/git-http/123456789012/{REGION}/{CONNECTION_ID}/owner/models.git",
        REGION,
    )
    legacy = CONNECTION_ARN.replace("codeconnections", "codestar-connections").replace(REGION, "us-east-2")
    assert githttp.connection_url(legacy, "o/r")[0] == (
        f"https://codestar-connections.us-east-2.amazonaws.com/git-http/123456789012/us-east-2/{CONNECTION_ID}/o/r.git"
    )
    assert githttp.with_endpoint(url, "http://127.0.0.1:9") == f"http://127.0.0.1:9/{CONNECTION_REPO}"
    with pytest.raises(githttp.GitConfigError, match="not a CodeConnections connection ARN"):
        githttp.connection_url("arn:aws:s3:::bucket", "o/r")
    with pytest.raises(githttp.GitConfigError, match=rf"full_repository_id '../r' \(connection {CONNECTION_ARN}\)"):
        githttp.connection_url(CONNECTION_ARN, "../r")


def test_sigv4_check_rejects_wrong_signatures_and_stale_time_stamps() -> None:
    now = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
    check = CodeCommitSigV4(CREDENTIALS, REGION, clock=lambda: now)
    url = f"http://127.0.0.1:8080/{CONNECTION_REPO}"

    def request(password: str, user: str = f"{CREDENTIALS.access_key}%{CREDENTIALS.token}") -> HttpRequest:
        auth = githttp.Remote(url, user, password, "test", "test").authorization
        headers = {"host": "127.0.0.1:8080", "authorization": auth}
        return HttpRequest("GET", f"/{CONNECTION_REPO}/info/refs", "service=git-receive-pack", headers, b"")

    good = githttp.codecommit_password(url, REGION, CREDENTIALS, now)
    assert good.startswith("20250304T050607Z")
    assert check(request(good)) == CREDENTIALS.access_key
    assert check(request(good, user=CREDENTIALS.access_key or "")) is None  # the session token is part of the user
    assert check(request(good[:-1] + ("0" if good[-1] != "0" else "1"))) is None
    other = githttp.codecommit_password(url.replace("models", "other"), REGION, CREDENTIALS, now)
    assert check(request(other)) is None  # signed for another repository
    stale = githttp.codecommit_password(url, REGION, CREDENTIALS, now - timedelta(minutes=16))
    assert check(request(stale)) is None
    recent = githttp.codecommit_password(url, REGION, CREDENTIALS, now - timedelta(minutes=14))
    assert check(request(recent)) == CREDENTIALS.access_key


def pkt(text: str) -> bytes:
    return githttp.pkt_line(text.encode())


def test_ref_advertisements_and_reports_are_parsed() -> None:
    service = pkt("# service=git-receive-pack\n") + b"0000"
    empty = service + pkt(f"{githttp.ZERO_ID} capabilities^{{}}\0report-status delete-refs atomic\n") + b"0000"
    parsed = githttp.parse_advertisement(empty, "r")
    assert parsed.refs == {} and parsed.has("atomic") and not parsed.has("agent")

    a, b = "a" * 40, "b" * 40
    refs = pkt("version 1\n") + pkt(f"{a} refs/heads/main\0report-status agent=git/2.39\n")
    refs += pkt(f"{b} refs/tags/v1\n") + pkt(f"{a} refs/tags/v1^{{}}\n") + b"0000"
    parsed = githttp.parse_advertisement(service + refs, "r")
    assert parsed.refs == {"refs/heads/main": a, "refs/tags/v1": b} and parsed.has("agent")

    with pytest.raises(githttp.GitProtocolError, match="r refused: no push for you"):
        githttp.parse_advertisement(service + pkt("ERR no push for you"), "r")
    with pytest.raises(githttp.GitProtocolError, match="did not answer as a git smart-HTTP server"):
        githttp.parse_advertisement(f"{a}\trefs/heads/main\n".encode(), "r")

    report = pkt("unpack ok\n") + pkt("ok refs/heads/a\n") + pkt("ng refs/heads/b already exists\n") + b"0000"
    assert githttp.parse_report(report, "r") == {"refs/heads/a": None, "refs/heads/b": "already exists"}
    with pytest.raises(githttp.GitProtocolError, match="could not unpack the pushed objects: index-pack failed"):
        githttp.parse_report(pkt("unpack index-pack failed\n") + b"0000", "r")


# --- large seeds ---------------------------------------------------------------------------------------------------


@pytest.fixture
def big_event(event: dict[str, Any], aws: Aws) -> dict[str, Any]:
    aws.s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip(big_files(), frozenset()))
    return event | {"max_pack_bytes": 128 * 1024}


@pytest.mark.parametrize("atomic", [True, False], ids=["atomic", "create-then-delete"])
def test_large_seed_is_pushed_in_parts_through_a_staging_branch(
    server: GitServer, big_event: dict[str, Any], atomic: bool, aws: Aws
) -> None:
    if not atomic:
        server.git(REPO, "config", "receive.advertiseAtomic", "false")

    result = aws.seed(big_event)

    assert result["status"] == "pushed" and result["parts"] == 4 and result["files"] == 12
    assert server.refs(REPO) == {"refs/heads/main": result["commit"]}  # the staging branch is gone
    server.fsck(REPO)
    assert set(server.ls_tree(REPO, "main")) == set(big_files())
    assert receive_packs(server) == 4 + (1 if atomic else 2)
    history = server.git(REPO, "log", "--format=%B%x00", "main").split("\0")
    assert [line for text in history for line in text.splitlines() if line.startswith("Seed-Part:")] == [
        f"Seed-Part: {n}/4" for n in (4, 3, 2, 1)
    ]


def test_failure_half_way_resumes_with_the_same_commits(server: GitServer, big_event: dict[str, Any], aws: Aws) -> None:
    def fail_second_push(request: HttpRequest) -> HttpResponse | None:
        if request.method == "POST" and request.service == "git-receive-pack" and receive_packs(server) == 1:
            return HttpResponse(500, b"injected failure")
        return None

    server.interceptors.append(fail_second_push)

    with pytest.raises(git_seed.GitSeedError, match=rf"repository {REPO_URL}\) failed: HTTP 500"):
        aws.seed(big_event)
    first_part = server.refs(REPO)[STAGING]
    assert set(server.refs(REPO)) == {STAGING}  # main does not exist half-written

    server.interceptors.clear()
    before = receive_packs(server)
    resumed = aws.seed(big_event)

    assert (resumed["status"], resumed["parts"], resumed["resumed_after"]) == ("pushed", 4, 1)
    assert receive_packs(server) - before == 3 + 1  # parts 2 to 4, then the branch
    assert server.git(REPO, "rev-list", "--reverse", "main").split()[0] == first_part
    server.fsck(REPO)
    assert server.refs(REPO) == {"refs/heads/main": resumed["commit"]}

    # An uninterrupted run into another repository makes the same commits.
    other = "team/other.git"
    server.create_repo(other)
    again = aws.seed(big_event | {"remote": big_event["remote"] | {"repository_url": f"https://h/{other}"}})
    assert again["commit"] == resumed["commit"] and again["resumed_after"] == 0


def test_staging_branch_holding_another_commit_is_not_overwritten(
    server: GitServer, big_event: dict[str, Any], aws: Aws
) -> None:
    foreign = server.commit(REPO, "mlops-seed/main", {"theirs.txt": b"x"})

    with pytest.raises(git_seed.GitSeedError, match=rf"staging branch mlops-seed/main of {REPO_URL} is at {foreign}"):
        aws.seed(big_event)

    assert server.refs(REPO) == {STAGING: foreign}
    assert receive_packs(server) == 0


@pytest.mark.parametrize("large", [False, True], ids=["one-part", "parts"])
def test_branch_created_concurrently_is_skipped(
    server: GitServer, big_event: dict[str, Any], large: bool, aws: Aws
) -> None:
    theirs: list[str] = []

    def create_main(request: HttpRequest) -> None:
        theirs.append(server.commit(REPO, "main", {"theirs.txt": b"first\n"}))

    server.interceptors.append(on_push_to("refs/heads/main", create_main))

    result = aws.seed(big_event if large else big_event | {"max_pack_bytes": git_seed.DEFAULT_MAX_PACK_BYTES})

    assert (result["status"], result["reason"], result["head"]) == ("skipped", "exists", theirs[0])
    assert server.refs(REPO) == {"refs/heads/main": theirs[0]}  # with parts: the staging branch is cleaned up
    server.fsck(REPO)


def test_push_refused_by_the_server_is_an_error_naming_the_branch(
    server: GitServer, event: dict[str, Any], aws: Aws
) -> None:
    hook = server.path(REPO) / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are frozen' >&2\nexit 1\n")
    hook.chmod(0o755)

    with pytest.raises(git_seed.GitSeedError, match=rf"^{REPO_URL} refused to update branch main .*pre-receive hook"):
        aws.seed(event)

    assert server.refs(REPO) == {}


def test_staging_branch_left_by_an_interrupted_finish_is_removed_later(
    server: GitServer, big_event: dict[str, Any], aws: Aws
) -> None:
    server.git(REPO, "config", "receive.advertiseAtomic", "false")  # create, then delete in another request
    delete = f" {githttp.ZERO_ID} {STAGING}\0".encode()
    server.interceptors.append(lambda request: HttpResponse(502, b"bad gateway") if delete in request.body else None)

    result = aws.seed(big_event)

    assert result["status"] == "pushed"
    assert server.refs(REPO) == {"refs/heads/main": result["commit"], STAGING: result["commit"]}
    server.interceptors.clear()
    again = aws.seed(big_event)
    assert (again["status"], again["head"]) == ("skipped", result["commit"])
    assert server.refs(REPO) == {"refs/heads/main": result["commit"]}


# --- the event's files ---------------------------------------------------------------------------------------------

PROJECT_JSON = '{\n  "role_arn": "arn:aws:iam::123456789012:role/churn-ci",\n  "region": "eu-west-1"\n}\n'
EVENT_FILES = {".github/sagemaker-project.json": PROJECT_JSON, "config/über.txt": "naïve ✓\n", "pipelines/e.txt": ""}


def test_event_files_join_the_zip_s_in_the_first_commit(server: GitServer, event: dict[str, Any], aws: Aws) -> None:
    result = aws.seed(event | {"files": EVENT_FILES})

    assert result["status"] == "pushed" and result["parts"] == 1
    assert result["files"] == len(FILES) + len(EVENT_FILES)
    assert server.refs(REPO) == {"refs/heads/main": result["commit"]}
    server.fsck(REPO)
    tree = server.ls_tree(REPO, "main")
    assert set(tree) == set(FILES) | set(EVENT_FILES)
    for path, text in EVENT_FILES.items():
        assert tree[path][0] == "100644"
        assert server.git(REPO, "cat-file", "blob", f"main:{path}") == text  # UTF-8 bytes, as given
    for path, content in FILES.items():
        assert server.git(REPO, "cat-file", "blob", f"main:{path}").encode() == content
    commit = server.cat(REPO, "main")
    assert "\nparent " not in commit and commit.split("\n\n", 1)[1] == f"Initial commit\n\nSeed-Code: {LOCATION}\n"

    # The same zip without files gives another commit; with them, the same one again (another repository).
    other = "team/other.git"
    server.create_repo(other)
    remote = event["remote"] | {"repository_url": f"https://h/{other}"}
    again = aws.seed(event | {"remote": remote, "files": dict(reversed(EVENT_FILES.items()))})
    assert again["commit"] == result["commit"]  # the event's key order does not matter


def test_second_invocation_with_files_is_skipped(server: GitServer, event: dict[str, Any], aws: Aws) -> None:
    seeded = event | {"files": EVENT_FILES}
    first = aws.seed(seeded)
    posts = receive_packs(server)

    second = aws.seed(seeded)

    assert (second["status"], second["reason"], second["head"]) == ("skipped", "exists", first["commit"])
    assert receive_packs(server) == posts
    assert server.refs(REPO) == {"refs/heads/main": first["commit"]}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"README.md": "mine\n"}, r"event files\['README.md'\] would replace the seed zip's README.md \("),
        ({"./lib//x.py": "y = 2\n"}, r"event files\['lib/x.py'\] would replace the seed zip's lib/x.py \("),
        ({"pipelines": "x"}, r"event files\['pipelines'\] would replace the seed zip's directory pipelines \("),
        ({"lib.py/a": "x"}, r"event files\['lib.py/a'\] would replace the seed zip's file lib.py \(.*with a directory"),
    ],
    ids=["file", "normalised", "directory", "file-as-directory"],
)
def test_event_file_colliding_with_the_zip_is_refused_before_any_push(
    server: GitServer, event: dict[str, Any], aws: Aws, files: dict[str, str], message: str
) -> None:
    with pytest.raises(git_seed.GitSeedError, match=message) as caught:
        aws.seed(event | {"files": {"ok.json": "{}"} | files})

    assert LOCATION in str(caught.value)
    assert server.refs(REPO) == {}
    assert receive_packs(server) == 0


def test_colliding_event_file_leaves_an_existing_staging_branch_alone(
    server: GitServer, big_event: dict[str, Any], aws: Aws
) -> None:
    def fail_second_push(request: HttpRequest) -> HttpResponse | None:
        if request.method == "POST" and request.service == "git-receive-pack" and receive_packs(server) == 1:
            return HttpResponse(500, b"injected failure")
        return None

    server.interceptors.append(fail_second_push)
    with pytest.raises(git_seed.GitSeedError, match="HTTP 500"):
        aws.seed(big_event)
    server.interceptors.clear()
    before, posts = server.refs(REPO), receive_packs(server)

    with pytest.raises(git_seed.GitSeedError, match=r"event files\['data/part-03.bin'\] would replace"):
        aws.seed(big_event | {"files": {"data/part-03.bin": "x"}})

    assert server.refs(REPO) == before and set(before) == {STAGING}
    assert receive_packs(server) == posts


BASE_EVENT = {"remote": {"kind": "secret", "secret_arn": "arn"}, "branch": "main", "seed_bucket": "b", "seed_key": "k"}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (["a.txt"], r"^event field files must be a JSON object of path: text content, got list$"),
        ("a.txt", r"^event field files must be a JSON object .*got str$"),
        ({f"f{n}.txt": "" for n in range(21)}, r"^event field files holds 21 files, at most 20 are allowed$"),
        ({"../x": ""}, r"^event field files: unsafe path '../x' \("),
        ({"a/../../x": ""}, r"^event field files: unsafe path 'a/../../x' \("),
        ({"/etc/passwd": ""}, r"^event field files: unsafe path '/etc/passwd' \("),
        ({"C:/x": ""}, r"^event field files: unsafe path 'C:/x' \("),
        ({"a\\b": ""}, r"^event field files: unsafe path 'a\\\\b' \("),
        ({".git/config": ""}, r"^event field files: unsafe path '.git/config' \("),
        ({"sub/.GIT/hooks/x": ""}, r"^event field files: unsafe path 'sub/.GIT/hooks/x' \("),
        ({"": ""}, r"^event field files: unsafe path '' \("),
        ({"./": ""}, r"^event field files: unsafe path './' \("),
        ({".github/": ""}, r"^event field files: unsafe path '.github/' \("),
        ({"a\x00b": ""}, r"^event field files: unsafe path 'a\\x00b' \("),
        ({1: ""}, r"^event field files: path 1 must be a string$"),
        ({"a.json": 1}, r"^event field files\['a.json'\] must be a string \(the file's text\), got int$"),
        ({"a.json": None}, r"^event field files\['a.json'\] must be a string .*got NoneType$"),
        ({"a.json": {"k": "v"}}, r"^event field files\['a.json'\] must be a string .*got dict$"),
        ({"a.json": b"x"}, r"^event field files\['a.json'\] must be a string .*got bytes$"),
        ({"a.json": "\ud800"}, r"^event field files\['a.json'\] cannot be encoded as UTF-8"),
        (
            {"big.txt": "é" * (512 * 1024) + "x"},
            r"^event field files\['big.txt'\] is 1048577 bytes \(UTF-8\), more than 1048576$",
        ),
        ({"a/b": "", "a//b": ""}, r"^event field files: 'a/b' and 'a//b' name the same file a/b$"),
        ({"a": "", "a/b/c": ""}, r"^event field files: a is a file and the directory of a/b/c$"),
    ],
)
def test_invalid_event_files_are_refused_naming_the_field(files: object, message: str) -> None:
    with pytest.raises(git_seed.GitSeedError, match=message):
        git_seed.SeedRequest.from_event(BASE_EVENT | {"files": files})


def test_event_files_at_the_limits_are_accepted() -> None:
    most = {f"f{n:02d}.txt": "" for n in range(git_seed.MAX_EVENT_FILES - 1)} | {"big.txt": "x" * (1024 * 1024)}
    request = git_seed.SeedRequest.from_event(BASE_EVENT | {"files": most})
    assert len(request.files) == 20 and [item.path for item in request.files] == sorted(most)
    assert {len(item.content) for item in request.files} == {0, 1024 * 1024}
    assert not any(item.executable for item in request.files)
    assert git_seed.SeedRequest.from_event(BASE_EVENT | {"files": None}).files == ()
    assert git_seed.SeedRequest.from_event(BASE_EVENT | {"files": {}}).files == ()
    normalised = git_seed.SeedRequest.from_event(BASE_EVENT | {"files": {"./a//b.txt": "x"}}).files
    assert [item.path for item in normalised] == ["a/b.txt"]


def test_invalid_event_files_are_refused_before_any_request(server: GitServer, event: dict[str, Any], aws: Aws) -> None:
    with pytest.raises(git_seed.GitSeedError, match=r"^event field files: unsafe path '../x'"):
        aws.seed(event | {"files": {"../x": "x"}})
    with pytest.raises(git_seed.GitSeedError, match=r"^event field files\['a'\] must be a string"):
        git_seed.handler(event | {"files": {"a": 1}}, None)
    assert server.log == [] and server.refs(REPO) == {}


def test_event_files_keep_the_commit_date_of_the_zip() -> None:
    request = git_seed.SeedRequest.from_event(BASE_EVENT | {"files": {"x.txt": "x"}})
    files, when = git_seed.read_seed_files(make_zip(FILES), "s3://b/k")
    merged = git_seed.with_event_files(files, request.files, "s3://b/k")
    assert [item.path for item in merged] == sorted([*FILES, "x.txt"])
    (part,) = git_seed.build_parts(merged, request, when)
    commit = next(data for kind, data in part.objects if kind == "commit")
    assert f" {calendar.timegm(LATEST)} +0000\n".encode() in commit


# A text file that sorts after data/ and is larger than a part: the planning places it like a zip file.
BIG_EVENT_FILES = {".github/sagemaker-project.json": PROJECT_JSON, "zz/notes.txt": "0123456789abcdef\n" * 8000}


def test_large_seed_with_event_files_is_planned_like_zip_files() -> None:
    request = git_seed.SeedRequest.from_event(BASE_EVENT | {"files": BIG_EVENT_FILES, "max_pack_bytes": 128 * 1024})
    zipped, when = git_seed.read_seed_files(make_zip(big_files(), frozenset()), "s3://b/k")
    merged = git_seed.with_event_files(zipped, request.files, "s3://b/k")
    as_zip, _ = git_seed.read_seed_files(
        make_zip(big_files() | {path: text.encode() for path, text in BIG_EVENT_FILES.items()}, frozenset()), "s3://b/k"
    )
    assert merged == as_zip  # the same files, in the same order, as if the zip held them
    parts = git_seed.build_parts(merged, request, when)
    assert [part.files for part in parts] == [4, 3, 3, 3, 1]  # .github/... joins part 1; zz/notes.txt goes last
    assert [part.commit for part in parts] == [part.commit for part in git_seed.build_parts(merged, request, when)]


def test_large_seed_with_event_files_resumes_after_a_failure(
    server: GitServer, big_event: dict[str, Any], aws: Aws
) -> None:
    seeded = big_event | {"files": BIG_EVENT_FILES}

    def fail_third_push(request: HttpRequest) -> HttpResponse | None:
        if request.method == "POST" and request.service == "git-receive-pack" and receive_packs(server) == 2:
            return HttpResponse(500, b"injected failure")
        return None

    server.interceptors.append(fail_third_push)
    with pytest.raises(git_seed.GitSeedError, match=rf"repository {REPO_URL}\) failed: HTTP 500"):
        aws.seed(seeded)
    staged = server.refs(REPO)[STAGING]
    assert set(server.refs(REPO)) == {STAGING}
    server.interceptors.clear()

    # Other files make other commits: the staging branch is not theirs, and it is left as it is.
    changed = seeded | {"files": BIG_EVENT_FILES | {".github/sagemaker-project.json": "{}\n"}}
    with pytest.raises(git_seed.GitSeedError, match=rf"staging branch mlops-seed/main of {REPO_URL} is at {staged}"):
        aws.seed(changed)
    assert server.refs(REPO) == {STAGING: staged}

    before = receive_packs(server)
    resumed = aws.seed(seeded)

    assert (resumed["status"], resumed["parts"], resumed["resumed_after"]) == ("pushed", 5, 2)
    assert resumed["files"] == len(big_files()) + len(BIG_EVENT_FILES)
    assert receive_packs(server) - before == 3 + 1  # parts 3 to 5, then the branch
    assert server.refs(REPO) == {"refs/heads/main": resumed["commit"]}
    server.fsck(REPO)
    assert server.git(REPO, "rev-list", "--reverse", "main").split()[1] == staged
    tree = server.ls_tree(REPO, "main")
    assert set(tree) == set(big_files()) | set(BIG_EVENT_FILES)
    for path, text in BIG_EVENT_FILES.items():
        assert server.git(REPO, "cat-file", "blob", f"main:{path}") == text
    first_part = server.git(REPO, "rev-list", "--reverse", "main").split()[0]
    assert ".github/sagemaker-project.json" in server.ls_tree(REPO, first_part)
    assert "zz/notes.txt" not in server.ls_tree(REPO, staged)

    assert aws.seed(seeded)["status"] == "skipped"
    other = "team/other.git"
    server.create_repo(other)
    again = aws.seed(seeded | {"remote": seeded["remote"] | {"repository_url": f"https://h/{other}"}})
    assert again["commit"] == resumed["commit"] and again["resumed_after"] == 0


# --- the event and the zip -----------------------------------------------------------------------------------------


def test_unsafe_path_in_zip_is_refused_naming_the_object(server: GitServer, event: dict[str, Any], aws: Aws) -> None:
    aws.s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip({"ok.txt": b"ok", "../evil": b"x"}))

    with pytest.raises(git_seed.GitSeedError, match=rf"^{LOCATION}: unsafe path in zip: '../evil'"):
        aws.seed(event)

    assert server.refs(REPO) == {}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("/etc/passwd", "unsafe path"),
        ("a/../../b", "unsafe path"),
        ("C:/x", "unsafe path"),
        ("a\\b", "unsafe path"),
        (".git/config", "unsafe path"),
        ("sub/.GIT/hooks/x", "unsafe path"),
    ],
)
def test_unsafe_zip_entries_are_refused(name: str, message: str) -> None:
    with pytest.raises(git_seed.GitSeedError, match=f"^s3://b/k: {message}"):
        git_seed.read_seed_files(make_zip({name: b"x"}), "s3://b/k")


def test_symlinks_and_file_directory_clashes_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "target")
    with pytest.raises(git_seed.GitSeedError, match="s3://b/k: symbolic links are not supported: 'link'"):
        git_seed.read_seed_files(buffer.getvalue(), "s3://b/k")
    files, _ = git_seed.read_seed_files(make_zip({"a": b"1", "a/b": b"2"}), "s3://b/k")
    with pytest.raises(githttp.GitError, match="s3://b/k: a is both a file and a directory"):
        githttp.write_tree(files, {}, "s3://b/k")


def test_missing_seed_object_is_reported(event: dict[str, Any], aws: Aws) -> None:
    with pytest.raises(git_seed.GitSeedError, match=rf"seed code s3://{BUCKET}/missing.zip cannot be read"):
        aws.seed(event | {"seed_key": "missing.zip"})


SECRET_ONLY = {"kind": "secret"}
CONNECTION_ONLY = {"kind": "codeconnections", "connection_arn": "a"}
REST = {"branch": "m", "seed_bucket": "b", "seed_key": "k"}


@pytest.mark.parametrize(
    ("given", "listed"),
    [
        ({}, "remote, branch, seed_bucket, seed_key"),
        ({"remote": {}, "branch": "main", "seed_bucket": "b"}, "remote.kind, seed_key"),
        ({"remote": SECRET_ONLY} | REST | {"branch": " "}, "remote.secret_arn, branch"),
        ({"remote": CONNECTION_ONLY} | REST, "remote.full_repository_id"),
    ],
)
def test_missing_event_keys_are_listed(given: dict[str, Any], listed: str) -> None:
    with pytest.raises(git_seed.GitSeedError, match=f"missing required string field\\(s\\): {listed}$"):
        git_seed.SeedRequest.from_event(given)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"branch": "bad..name"}, "not a valid git branch name"),
        ({"branch": "mlops-seed/main"}, "stages large seeds"),
        ({"author_email": "a>b"}, "author_email must not contain"),
        ({"max_pack_bytes": 0}, "max_pack_bytes must be a positive integer"),
        ({"remote": {"kind": "ssh"}}, "remote.kind must be 'codeconnections' or 'secret'"),
    ],
)
def test_invalid_event_values_are_refused(change: dict[str, Any], message: str) -> None:
    base = {"remote": {"kind": "secret", "secret_arn": "arn"}, "branch": "main", "seed_bucket": "b", "seed_key": "k"}
    with pytest.raises(git_seed.GitSeedError, match=message):
        git_seed.SeedRequest.from_event(base | change)


def test_same_zip_gives_the_same_commit_and_pack_layout() -> None:
    request = git_seed.SeedRequest.from_event(
        {"remote": {"kind": "secret", "secret_arn": "arn"}, "branch": "main", "seed_bucket": "b", "seed_key": "k"}
    )
    files, when = git_seed.read_seed_files(make_zip(FILES), "s3://b/k")
    assert when == datetime(*LATEST, tzinfo=UTC)
    parts = git_seed.build_parts(files, request, when)
    assert [part.commit for part in parts] == [part.commit for part in git_seed.build_parts(files, request, when)]
    pack = githttp.write_pack(parts[0].objects)
    assert pack[:12] == b"PACK\0\0\0\x02" + len(parts[0].objects).to_bytes(4, "big")


def test_handler_builds_its_own_clients(monkeypatch: pytest.MonkeyPatch, aws: Aws) -> None:
    calls: list[tuple[str, str | None]] = []

    def fake_push(event: Any, *, s3: Any, secretsmanager: Any, credentials: Any) -> dict[str, Any]:
        calls.append((s3.meta.service_model.service_name, secretsmanager.meta.region_name))
        return {"status": "skipped"}

    monkeypatch.setattr(git_seed, "push", fake_push)
    arn = "arn:aws:secretsmanager:us-east-2:123456789012:secret:git-abc"
    event = {"remote": {"kind": "secret", "secret_arn": arn}, "branch": "main", "seed_bucket": "b", "seed_key": "k"}
    assert git_seed.handler(event, None) == {"status": "skipped"}
    assert calls == [("s3", "us-east-2")]  # the secret is read in its own region


def test_module_imports_only_the_standard_library_and_boto3(tmp_path: Path) -> None:
    source = Path(git_seed.__file__)
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    assert modules - set(sys.stdlib_module_names) == {"boto3", "botocore", "githttp"}  # githttp: shipped alongside

    # As the Lambda runtime loads it: the files of its zip alone, outside the package.
    (tmp_path / "git_seed.py").write_bytes(source.read_bytes())
    (tmp_path / "githttp.py").write_bytes(Path(githttp.__file__).read_bytes())
    probe = (
        "import sys, git_seed; print(git_seed.__version__, any(m.startswith('mlops_templates') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r}); {probe}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert result.stdout.split() == [git_seed.__version__, "False"]
