"""The seed-push Lambda handler: S3 on moto, CodeCommit through botocore's Stubber.

moto has no CodeCommit CreateCommit/GetBranch (see ../shared/TESTING-NOTES.md), so the CodeCommit client is a real
botocore client wrapped in a Stubber: every request the handler sends is validated against the real service model
and compared with the expected parameters.
"""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from mlops_templates.lambdas import seed_push

REGION = "eu-west-1"
BUCKET = "catalog-artifacts-123456789012"
KEY = "seed/build-train-deploy/model-build/1.0.0/abc.zip"
REPO = "demo-modelbuild"
EVENT = {
    "repository_name": REPO,
    "branch": "main",
    "seed_bucket": BUCKET,
    "seed_key": KEY,
    "commit_message": "Initial commit",
    "author_name": "platform",
    "author_email": "platform@example.com",
}
REPO_METADATA = {"repositoryMetadata": {"repositoryName": REPO, "repositoryId": "id"}}
COMMIT_A = "a" * 40
COMMIT_B = "b" * 40
COMMIT_D = "d" * 40
LOCATION = f"s3://{BUCKET}/{KEY}"


def blob_id(content: bytes) -> str:
    """Git's object id of a blob, computed here independently of the handler."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def seed_message(number: int, total: int, base: str | None = None, subject: str = "Initial commit") -> str:
    title = subject if total == 1 else f"{subject} ({number}/{total})"
    lines = [title, "", f"Seed-Code: {LOCATION}", f"Seed-Part: {number}/{total}"]
    if base is not None:
        lines.append(f"Seed-Base: {base}")
    return "\n".join(lines) + "\n"


def make_zip(files: dict[str, bytes], executable: frozenset[str] = frozenset()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            mode = 0o755 if name in executable else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            archive.writestr(info, content)
    return buffer.getvalue()


@pytest.fixture
def s3(mocked_aws: None) -> Iterator[Any]:
    client = boto3.client("s3", region_name=REGION)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    yield client


@pytest.fixture
def codecommit() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("codecommit", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def expect_empty_repository(stubber: Stubber) -> None:
    stubber.add_response("get_repository", REPO_METADATA, {"repositoryName": REPO})
    stubber.add_client_error(
        "get_branch",
        service_error_code="BranchDoesNotExistException",
        http_status_code=400,
        expected_params={"repositoryName": REPO, "branchName": "main"},
    )


def expect_branch_at(stubber: Stubber, head: str, message: str, default_branch: str = "main") -> None:
    metadata = {"repositoryMetadata": {**REPO_METADATA["repositoryMetadata"], "defaultBranch": default_branch}}
    stubber.add_response("get_repository", metadata, {"repositoryName": REPO})
    stubber.add_response(
        "get_branch",
        {"branch": {"branchName": "main", "commitId": head}},
        {"repositoryName": REPO, "branchName": "main"},
    )
    stubber.add_response(
        "get_commit",
        {"commit": {"commitId": head, "message": message, "parents": []}},
        {"repositoryName": REPO, "commitId": head},
    )


def expect_tree(stubber: Stubber, after: str, files: dict[str, bytes], before: str | None = None) -> None:
    """GetDifferences answering with the given files as added (or, with ``before``, changed) blobs."""
    params = {"repositoryName": REPO, "afterCommitSpecifier": after}
    if before is not None:
        params["beforeCommitSpecifier"] = before
    differences = [
        {"afterBlob": {"blobId": blob_id(content), "path": path, "mode": "100644"}, "changeType": "A"}
        for path, content in files.items()
    ]
    stubber.add_response("get_differences", {"differences": differences}, params)


def expect_commit(
    stubber: Stubber, commit: str, message: str, files: dict[str, bytes], parent: str | None = None
) -> None:
    expected: dict[str, Any] = {
        "repositoryName": REPO,
        "branchName": "main",
        "authorName": "platform",
        "email": "platform@example.com",
        "commitMessage": message,
        "putFiles": [
            {"filePath": path, "fileContent": content, "fileMode": "NORMAL"} for path, content in files.items()
        ],
    }
    if parent is not None:
        expected["parentCommitId"] = parent
    stubber.add_response("create_commit", {"commitId": commit, "treeId": "t"}, expected)


def test_pushes_every_file_in_one_commit_with_modes(s3: Any, codecommit: tuple[Any, Stubber]) -> None:
    client, stubber = codecommit
    files = {"README.md": b"# seed\n", "pipelines/run.py": b"print('x')\n", "scripts/build.sh": b"#!/bin/sh\n"}
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip(files, frozenset({"scripts/build.sh"})))
    expect_empty_repository(stubber)
    stubber.add_response(
        "create_commit",
        {"commitId": COMMIT_A, "treeId": "t"},
        {
            "repositoryName": REPO,
            "branchName": "main",
            "authorName": "platform",
            "email": "platform@example.com",
            "commitMessage": seed_message(1, 1),
            "putFiles": [
                {"filePath": "README.md", "fileContent": b"# seed\n", "fileMode": "NORMAL"},
                {"filePath": "pipelines/run.py", "fileContent": b"print('x')\n", "fileMode": "NORMAL"},
                {"filePath": "scripts/build.sh", "fileContent": b"#!/bin/sh\n", "fileMode": "EXECUTABLE"},
            ],
        },
    )
    result = seed_push.push(client, s3, EVENT)
    assert result == {
        "status": "pushed",
        "repository_name": REPO,
        "branch": "main",
        "commit_id": COMMIT_A,
        "commits": [COMMIT_A],
        "files": 3,
        "empty_files": [],
    }


def test_branch_with_foreign_commits_is_left_alone(s3: Any, codecommit: tuple[Any, Stubber]) -> None:
    client, stubber = codecommit
    # The head is a commit the seed push did not make (user work, or a seed from before the trailers).
    expect_branch_at(stubber, COMMIT_B, "Add my feature engineering\n")
    # No S3 object exists and no create_commit is stubbed: a push attempt would fail the test.
    result = seed_push.push(client, s3, EVENT)
    assert result["status"] == "skipped"
    assert result["reason"] == "foreign"
    assert result["commit_id"] == COMMIT_B
    assert result["commits"] == []


def test_complete_branch_is_a_no_op(s3: Any, codecommit: tuple[Any, Stubber]) -> None:
    client, stubber = codecommit
    expect_branch_at(stubber, COMMIT_B, seed_message(3, 3))
    # A new product version (another seed key) re-invokes the function: the seeded project is left alone too.
    result = seed_push.push(client, s3, {**EVENT, "seed_key": "seed/other/2.0.0/x.zip"})
    assert result["status"] == "skipped"
    assert result["reason"] == "complete"
    assert result["commit_id"] == COMMIT_B


def test_partial_branch_is_completed_from_its_head(s3: Any, codecommit: tuple[Any, Stubber]) -> None:
    client, stubber = codecommit
    files = {"a.txt": b"a", "b.txt": b"b", "c.txt": b"c"}
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip(files))
    # A first attempt committed part 1 of 2 (a.txt) and then failed.
    expect_branch_at(stubber, COMMIT_A, seed_message(1, 2))
    expect_tree(stubber, COMMIT_A, {"a.txt": b"a"})
    expect_commit(stubber, COMMIT_B, seed_message(2, 2), {"b.txt": b"b", "c.txt": b"c"}, parent=COMMIT_A)
    result = seed_push.push(client, s3, EVENT)
    assert result["status"] == "resumed"
    assert result["commits"] == [COMMIT_B]
    assert result["commit_id"] == COMMIT_B
    assert result["files"] == 2


def test_partial_branch_that_differs_from_the_seed_is_refused(s3: Any, codecommit: tuple[Any, Stubber]) -> None:
    client, stubber = codecommit
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip({"a.txt": b"a", "b.txt": b"b"}))
    expect_branch_at(stubber, COMMIT_A, seed_message(1, 2))
    expect_tree(stubber, COMMIT_A, {"a.txt": b"changed"})
    with pytest.raises(seed_push.SeedPushError, match=r"a\.txt differs from the seed"):
        seed_push.push(client, s3, EVENT)


def test_empty_files_are_not_committed_and_are_reported(s3: Any, codecommit: tuple[Any, Stubber]) -> None:
    client, stubber = codecommit
    # CreateCommit rejects empty content (FileContentRequiredException: "Empty files cannot be added").
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip({"pkg/__init__.py": b"", "pkg/run.py": b"x = 1\n"}))
    expect_empty_repository(stubber)
    expect_commit(stubber, COMMIT_A, seed_message(1, 1), {"pkg/run.py": b"x = 1\n"})
    result = seed_push.push(client, s3, EVENT)
    assert result["empty_files"] == ["pkg/__init__.py"]
    assert result["files"] == 1


def test_seed_of_only_empty_files_is_refused(s3: Any, codecommit: tuple[Any, Stubber]) -> None:
    client, stubber = codecommit
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip({"pkg/__init__.py": b""}))
    expect_empty_repository(stubber)
    with pytest.raises(seed_push.SeedPushError, match="only empty files"):
        seed_push.push(client, s3, EVENT)


def test_repository_with_other_branches_gets_the_branch_from_its_default_branch(
    s3: Any, codecommit: tuple[Any, Stubber]
) -> None:
    client, stubber = codecommit
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip({"README.md": b"seed", "run.py": b"run"}))
    metadata = {"repositoryMetadata": {**REPO_METADATA["repositoryMetadata"], "defaultBranch": "dev"}}
    stubber.add_response("get_repository", metadata, {"repositoryName": REPO})
    stubber.add_client_error(
        "get_branch",
        service_error_code="BranchDoesNotExistException",
        http_status_code=400,
        expected_params={"repositoryName": REPO, "branchName": "main"},
    )
    stubber.add_response(
        "get_branch",
        {"branch": {"branchName": "dev", "commitId": COMMIT_D}},
        {"repositoryName": REPO, "branchName": "dev"},
    )
    # dev already holds run.py with the seed's content: only README.md changes.
    expect_tree(stubber, COMMIT_D, {"run.py": b"run", "notes.txt": b"theirs"})
    stubber.add_response("create_branch", {}, {"repositoryName": REPO, "branchName": "main", "commitId": COMMIT_D})
    expect_commit(stubber, COMMIT_A, seed_message(1, 1, base=COMMIT_D), {"README.md": b"seed"}, parent=COMMIT_D)
    result = seed_push.push(client, s3, EVENT)
    assert result["status"] == "pushed"
    assert result["commits"] == [COMMIT_A]


def test_default_branch_already_holding_the_seed_gets_the_branch_without_a_commit(
    s3: Any, codecommit: tuple[Any, Stubber]
) -> None:
    client, stubber = codecommit
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip({"README.md": b"seed"}))
    metadata = {"repositoryMetadata": {**REPO_METADATA["repositoryMetadata"], "defaultBranch": "dev"}}
    stubber.add_response("get_repository", metadata, {"repositoryName": REPO})
    stubber.add_client_error("get_branch", service_error_code="BranchDoesNotExistException", http_status_code=400)
    stubber.add_response("get_branch", {"branch": {"branchName": "dev", "commitId": COMMIT_D}})
    expect_tree(stubber, COMMIT_D, {"README.md": b"seed"})
    stubber.add_response("create_branch", {}, {"repositoryName": REPO, "branchName": "main", "commitId": COMMIT_D})
    # No create_commit is stubbed: CreateCommit would answer NoChangeException for files already there.
    result = seed_push.push(client, s3, EVENT)
    assert (result["status"], result["reason"], result["commit_id"], result["commits"]) == (
        "pushed",
        "complete",
        COMMIT_D,
        [],
    )


def test_branch_created_from_the_default_branch_but_not_seeded_is_seeded(
    s3: Any, codecommit: tuple[Any, Stubber]
) -> None:
    client, stubber = codecommit
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip({"README.md": b"seed"}))
    # A first attempt created main at dev's head (CreateBranch) and failed before its commit.
    expect_branch_at(stubber, COMMIT_D, "Their work on dev\n", default_branch="dev")
    stubber.add_response(
        "get_branch",
        {"branch": {"branchName": "dev", "commitId": COMMIT_D}},
        {"repositoryName": REPO, "branchName": "dev"},
    )
    expect_tree(stubber, COMMIT_D, {"notes.txt": b"theirs"})
    expect_commit(stubber, COMMIT_A, seed_message(1, 1, base=COMMIT_D), {"README.md": b"seed"}, parent=COMMIT_D)
    result = seed_push.push(client, s3, EVENT)
    assert result["status"] == "resumed"
    assert result["commits"] == [COMMIT_A]


def test_partial_branch_on_a_base_is_checked_against_the_base(s3: Any, codecommit: tuple[Any, Stubber]) -> None:
    client, stubber = codecommit
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip({"a.txt": b"a", "b.txt": b"b"}))
    expect_branch_at(stubber, COMMIT_A, seed_message(1, 2, base=COMMIT_D), default_branch="dev")
    # What the seed commits changed since the base, then the whole tree at the head.
    expect_tree(stubber, COMMIT_A, {"a.txt": b"a"}, before=COMMIT_D)
    expect_tree(stubber, COMMIT_A, {"a.txt": b"a", "notes.txt": b"theirs"})
    expect_commit(stubber, COMMIT_B, seed_message(2, 2, base=COMMIT_D), {"b.txt": b"b"}, parent=COMMIT_A)
    result = seed_push.push(client, s3, EVENT)
    assert result["status"] == "resumed"
    assert result["commits"] == [COMMIT_B]


def test_missing_zip_names_the_object(s3: Any, codecommit: tuple[Any, Stubber]) -> None:
    client, stubber = codecommit
    expect_empty_repository(stubber)
    with pytest.raises(seed_push.SeedPushError, match=rf"s3://{BUCKET}/{KEY} cannot be read \(NoSuchKey\)"):
        seed_push.push(client, s3, EVENT)


def test_missing_repository_is_reported(s3: Any, codecommit: tuple[Any, Stubber]) -> None:
    client, stubber = codecommit
    stubber.add_client_error("get_repository", service_error_code="RepositoryDoesNotExistException")
    with pytest.raises(seed_push.SeedPushError, match=f"repository {REPO} does not exist"):
        seed_push.push(client, s3, EVENT)


def test_large_seed_is_split_into_chained_commits(
    s3: Any, codecommit: tuple[Any, Stubber], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, stubber = codecommit
    monkeypatch.setattr(seed_push, "MAX_FILES_PER_COMMIT", 2)
    files = {f"f{index}.txt": str(index).encode() for index in range(5)}
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip(files))
    expect_empty_repository(stubber)
    commits = [c * 40 for c in "abc"]
    parents: list[str | None] = [None, commits[0], commits[1]]
    for number, (commit, parent) in enumerate(zip(commits, parents, strict=True), start=1):
        expected: dict[str, Any] = {
            "repositoryName": REPO,
            "branchName": "main",
            "authorName": "platform",
            "email": "platform@example.com",
            "commitMessage": seed_message(number, 3),
            "putFiles": ANY,
        }
        if parent is not None:
            expected["parentCommitId"] = parent
        stubber.add_response("create_commit", {"commitId": commit, "treeId": "t"}, expected)
    result = seed_push.push(client, s3, EVENT)
    assert result["commits"] == commits
    assert result["commit_id"] == commits[-1]
    assert result["files"] == 5


def test_batches_respect_byte_quota(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seed_push, "MAX_BYTES_PER_COMMIT", 10)
    files = [seed_push.SeedFile(f"f{index}", b"x" * 4, False) for index in range(5)]
    sizes = [[item.path for item in batch] for batch in seed_push.batches(files)]
    assert sizes == [["f0", "f1"], ["f2", "f3"], ["f4"]]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"../escape.txt": b"x"}, "unsafe path"),
        ({"/abs.txt": b"x"}, "unsafe path"),
        ({}, "holds no files"),
    ],
)
def test_unsafe_or_empty_zip_is_refused(files: dict[str, bytes], message: str) -> None:
    with pytest.raises(seed_push.SeedPushError, match=message):
        seed_push.read_seed_files(make_zip(files), "s3://b/k")


def test_oversized_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seed_push, "MAX_BYTES_PER_FILE", 3)
    with pytest.raises(seed_push.SeedPushError, match=r"big\.bin is 4 bytes"):
        seed_push.read_seed_files(make_zip({"big.bin": b"1234"}), "s3://b/k")


def test_not_a_zip_is_refused() -> None:
    with pytest.raises(seed_push.SeedPushError, match="is not a zip file"):
        seed_push.read_seed_files(b"plain text", "s3://b/k")


@pytest.mark.parametrize("missing", ["repository_name", "branch", "seed_bucket", "seed_key"])
def test_event_without_required_field_is_refused(missing: str) -> None:
    event = {key: value for key, value in EVENT.items() if key != missing}
    with pytest.raises(seed_push.SeedPushError, match=f"missing required string field\\(s\\): {missing}"):
        seed_push.SeedRequest.from_event(event)


def test_defaults_fill_optional_fields() -> None:
    request = seed_push.SeedRequest.from_event({k: EVENT[k] for k in seed_push.REQUIRED_KEYS})
    assert request.commit_message == seed_push.DEFAULTS["commit_message"]
    assert request.author_email == seed_push.DEFAULTS["author_email"]


def test_commit_failure_names_repository_and_branch(s3: Any, codecommit: tuple[Any, Stubber]) -> None:
    client, stubber = codecommit
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=make_zip({"a.txt": b"a"}))
    expect_empty_repository(stubber)
    stubber.add_client_error("create_commit", service_error_code="FileContentSizeLimitExceededException")
    with pytest.raises(seed_push.SeedPushError, match=rf"CreateCommit 1/1 into {REPO}:main failed"):
        seed_push.push(client, s3, EVENT)


def test_handler_builds_its_own_clients(s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []

    def fake_push(codecommit: Any, s3_client: Any, event: Any) -> dict[str, Any]:
        calls.append((codecommit.meta.service_model.service_name, s3_client.meta.service_model.service_name))
        return {"status": "skipped"}

    monkeypatch.setattr(seed_push, "push", fake_push)
    assert seed_push.handler(EVENT, None) == {"status": "skipped"}
    assert calls == [("codecommit", "s3")]
