"""The branch-pipelines Lambda handler: experiment SageMaker pipelines per branch, started, named and deleted.

Driven with the events AWS documents: CodeCommit's "CodeCommit Repository State Change" (EventBridge), the
CodePipeline Lambda invoke action's job event, and EventBridge's "Scheduled Event".

* SageMaker pipelines run on moto (create, describe, tags, list, executions, delete). moto lacks
  ``StopPipelineExecution``: a botocore ``before-call`` hook answers it by setting the execution's status in moto's
  backend, after botocore validated the request against the real SageMaker model.
* moto's CodePipeline starts executions but drops ``variables``, ``sourceRevisions`` and the client request token,
  and lacks ``PutJobSuccessResult``/``PutJobFailureResult``; moto's CodeCommit lacks ``ListBranches``. Those calls are
  checked with botocore's ``Stubber`` on real clients (requests validated against the real service models, the
  parameters compared exactly). The handler's own dispatch runs against moto's CodePipeline where moto suffices.
* CodeConnections branches come from a real git smart-HTTP server (``git http-backend``, tests/harness/git_server.py)
  that checks the CodeCommit SigV4 sign-in, reached through ``GIT_HTTP_ENDPOINT_URL``.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import boto3
import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.credentials import ReadOnlyCredentials
from botocore.stub import ANY, Stubber
from moto.sagemaker.models import sagemaker_backends

from mlops_templates.lambdas import branch_pipelines, githttp
from mlops_templates.lambdas.branch_pipelines import BranchPipelinesError, Clock, Config, pipeline_name
from tests.harness.git_server import CodeCommitSigV4, GitServer
from tests.harness.moto import offline_aws
from tests.lambdas.test_githttp import absolute_imports, load_alone

REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's account
PROJECT = "churn"
PROJECT_ID = "p-abc123def456"
OTHER_ID = "p-other0000001"
PRODUCTION = f"{PROJECT}-{PROJECT_ID}-pipeline"
EXPERIMENT_ROLE = f"arn:aws:iam::{ACCOUNT}:role/mlops-{PROJECT_ID}-experiments"
PRODUCTION_ROLE = f"arn:aws:iam::{ACCOUNT}:role/mlops-{PROJECT_ID}-sagemaker"
REPO = "churn-model-build"
CODEPIPELINE = f"{PROJECT}-{PROJECT_ID}-experiments"
JOB_ID = "11111111-abcd-1111-abcd-111111abcdef"
COMMIT = "5d6a1b6e0f3c4a5b8e7d9c0b1a2f3e4d5c6b7a89"
OLD_COMMIT = "0b1a2f3e4d5c6b7a895d6a1b6e0f3c4a5b8e7d9c"
CONNECTION_ID = "0a1b2c3d-4e5f-6789-abcd-ef0123456789"
CONNECTION_ARN = f"arn:aws:codeconnections:{REGION}:{ACCOUNT}:connection/{CONNECTION_ID}"
CONNECTION_REPO = f"git-http/{ACCOUNT}/{REGION}/{CONNECTION_ID}/owner/models.git"
CREDENTIALS = ReadOnlyCredentials("AKIAEXAMPLEKEY", "example-secret-key", "example-session-token")
DEFINITION = json.dumps({"Version": "2020-12-01", "Steps": []})
SAGEMAKER_NAME_RE = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$")
CODEPIPELINE_TOKEN_RE = re.compile(r"^[a-zA-Z0-9-]+$")

ENV = {
    "PROJECT_NAME": PROJECT,
    "PROJECT_ID": PROJECT_ID,
    "MAIN_BRANCH": "main",
    "RESERVED_PIPELINE_NAMES": json.dumps([PRODUCTION]),
    "EXPERIMENT_ROLE_ARN": EXPERIMENT_ROLE,
    "CODEPIPELINE_NAME": CODEPIPELINE,
    "REPOSITORY": json.dumps({"kind": "codecommit", "name": REPO}),
}
CONNECTION_REPOSITORY = json.dumps(
    {"kind": "codeconnections", "connection_arn": CONNECTION_ARN, "full_repository_id": "owner/models"}
)
CONFIG = Config.from_env(ENV)


def name(branch: str) -> str:
    return pipeline_name(PROJECT, branch, [PRODUCTION])


def sha8(branch: str) -> str:
    return hashlib.sha256(branch.encode("utf-8")).hexdigest()[:8]


# --- events, as AWS documents them --------------------------------------------------------------------------------


def codecommit_event(
    action: str,
    reference: str,
    *,
    commit: str | None = COMMIT,
    old: str | None = None,
    reference_type: str = "branch",
    repository: str = REPO,
) -> dict[str, Any]:
    """EventBridge's "CodeCommit Repository State Change" (referenceCreated has no oldCommitId; referenceDeleted
    names the deleted commit as oldCommitId)."""
    prefix = "refs/heads/" if reference_type == "branch" else "refs/tags/"
    detail: dict[str, Any] = {
        "callerUserArn": f"arn:aws:iam::{ACCOUNT}:user/Mary_Major",
        "event": action,
        "referenceFullName": prefix + reference,
        "referenceName": reference,
        "referenceType": reference_type,
        "repositoryId": "12345678-1234-5678-abcd-12345678abcd",
        "repositoryName": repository,
    }
    if commit is not None:
        detail["commitId"] = commit
    if old is not None:
        detail["oldCommitId"] = old
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "CodeCommit Repository State Change",
        "source": "aws.codecommit",
        "account": ACCOUNT,
        "time": "2026-11-26T12:00:00Z",
        "region": REGION,
        "resources": [f"arn:aws:codecommit:{REGION}:{ACCOUNT}:{repository}"],
        "detail": detail,
    }


def job_event(user_parameters: str, job_id: str = JOB_ID) -> dict[str, Any]:
    """The event CodePipeline sends a Lambda invoke action."""
    return {
        "CodePipeline.job": {
            "id": job_id,
            "accountId": ACCOUNT,
            "data": {
                "actionConfiguration": {
                    "configuration": {"FunctionName": "churn-branch-pipelines", "UserParameters": user_parameters}
                },
                "inputArtifacts": [
                    {
                        "name": "SourceArtifact",
                        "revision": None,
                        "location": {
                            "type": "S3",
                            "s3Location": {"bucketName": "codepipeline-eu-west-1-1234567890", "objectKey": "src.zip"},
                        },
                    }
                ],
                "outputArtifacts": [],
                "artifactCredentials": {
                    "accessKeyId": "AKIAIOSFODNN7EXAMPLE",
                    "secretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    "sessionToken": "MIICiTCCAfICCQD6m7",
                },
            },
        }
    }


def branch_job(branch: str) -> dict[str, Any]:
    return job_event(json.dumps({"branch": branch}))


SCHEDULED = {
    "version": "0",
    "id": "89d1a02d-5ec7-412e-82f5-13505f849b41",
    "detail-type": "Scheduled Event",
    "source": "aws.events",
    "account": ACCOUNT,
    "time": "2026-11-26T12:00:00Z",
    "region": REGION,
    "resources": [f"arn:aws:events:{REGION}:{ACCOUNT}:rule/churn-branch-pipelines-reconcile"],
    "detail": {},
}


# --- AWS ----------------------------------------------------------------------------------------------------------


def _http(status: int) -> AWSResponse:
    return AWSResponse("http://moto", status, HTTPHeaders(), None)


def offline_client(service: Literal["codepipeline", "codecommit"]) -> Any:
    """A real client for Stubber (no request leaves it)."""
    return boto3.client(service, region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")


@dataclass
class SageMaker:
    """moto's SageMaker, with StopPipelineExecution answered in its backend (status Executing -> Stopping)."""

    client: Any
    stopped: list[dict[str, Any]] = field(default_factory=list)
    stop_sets: str = "Stopping"  # the status a stop request sets
    deleted: list[tuple[str, list[str]]] = field(default_factory=list)  # name, the statuses at deletion

    @property
    def backend(self) -> Any:
        return sagemaker_backends[ACCOUNT][REGION]

    def create(self, name: str, role: str = EXPERIMENT_ROLE, project_id: str | None = PROJECT_ID) -> str:
        tags = [{"Key": "sagemaker:project-id", "Value": project_id}] if project_id else []
        arn: str = self.client.create_pipeline(
            PipelineName=name, RoleArn=role, PipelineDefinition=DEFINITION, Tags=[*tags, {"Key": "k", "Value": "v"}]
        )["PipelineArn"]
        return arn

    def names(self) -> set[str]:
        return {p["PipelineName"] for p in self.client.list_pipelines(MaxResults=100)["PipelineSummaries"]}

    def statuses(self, pipeline: str) -> dict[str, str]:
        executions = self.backend.pipelines[pipeline].pipeline_executions
        return {arn: execution.pipeline_execution_status for arn, execution in executions.items()}

    def start(self, pipeline: str, status: str = "Executing") -> str:
        """An execution of ``pipeline`` (moto's are Succeeded at once: set to ``status``)."""
        arn: str = self.client.start_pipeline_execution(PipelineName=pipeline)["PipelineExecutionArn"]
        self.backend.pipelines[pipeline].pipeline_executions[arn].pipeline_execution_status = status
        return arn

    def set_status(self, pipeline: str, arn: str, status: str) -> None:
        self.backend.pipelines[pipeline].pipeline_executions[arn].pipeline_execution_status = status


@pytest.fixture
def sagemaker() -> Iterator[SageMaker]:
    with offline_aws(REGION):
        client: Any = boto3.client("sagemaker", region_name=REGION)
        account = SageMaker(client)

        def stop(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
            body = json.loads(params["body"])
            account.stopped.append(body)
            arn = body["PipelineExecutionArn"]
            pipeline = arn.split(":pipeline/")[1].split("/execution/")[0]
            execution = account.backend.pipelines[pipeline].pipeline_executions[arn]
            if execution.pipeline_execution_status != "Executing":
                error = {"Code": "ValidationException", "Message": f"Execution {arn} is not executing"}
                return _http(400), {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 400}}
            execution.pipeline_execution_status = account.stop_sets
            return _http(200), {"PipelineExecutionArn": arn}

        def delete(params: dict[str, Any], **_: Any) -> None:
            pipeline = json.loads(params["body"])["PipelineName"]
            statuses = list(account.statuses(pipeline).values()) if pipeline in account.backend.pipelines else []
            account.deleted.append((pipeline, statuses))

        client.meta.events.register("before-call.sagemaker.StopPipelineExecution", stop)
        client.meta.events.register("before-call.sagemaker.DeletePipeline", delete)
        yield account


@dataclass(frozen=True)
class LambdaContext:
    """The part of Lambda's context the handler reads: 25 s left, so the handler never waits (margin 20 s)."""

    remaining_ms: int = 25_000

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


CONTEXT = LambdaContext()


def fake_clock(on_sleep: Callable[[], None] = lambda: None, seconds: float = 100.0) -> Clock:
    now = [0.0]

    def sleep(delay: float) -> None:
        now[0] += delay
        on_sleep()

    return Clock(deadline=seconds, now=lambda: now[0], sleep=sleep)


def reference(event: dict[str, Any], sagemaker: SageMaker, clock: Clock | None = None) -> dict[str, Any]:
    """A CodeCommit event whose handling must not touch CodePipeline (a Stubber with nothing to answer)."""
    codepipeline = offline_client("codepipeline")
    with Stubber(codepipeline) as stub:
        answer = branch_pipelines.on_reference_event(
            event, CONFIG, codepipeline, sagemaker.client, clock or fake_clock()
        )
        stub.assert_no_pending_responses()
    return answer


# --- names --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("branch", ["feature-a", "exp42", "a-b-c", "x", "1"])
def test_lowercase_hyphenated_branches_keep_their_name(branch: str) -> None:
    assert name(branch) == f"churn-{branch}"


@pytest.mark.parametrize(
    ("branch", "slug"),
    [
        ("feature/a", "feature-a"),
        ("Feature/A", "feature-a"),
        ("FEATURE-A", "feature-a"),
        ("feature_a", "feature-a"),
        ("feature--a", "feature-a"),
        ("users/jane.doe/try#2", "users-jane-doe-try-2"),
        ("café", "caf"),
        ("数据/实验", ""),
        ("__", ""),
        ("_-_", ""),
        ("p-abc123def456-pipeline", "p-abc123def456-pipeline"),  # would be the production pipeline
        ("P-ABC123DEF456-PIPELINE", "p-abc123def456-pipeline"),
        ("deadbeef", "deadbeef"),  # would look like a hashed name
        ("fix-0123abcd", "fix-0123abcd"),
    ],
)
def test_lossy_reserved_or_hash_like_branches_get_a_hash(branch: str, slug: str) -> None:
    expected = f"churn-{slug}-{sha8(branch)}" if slug else f"churn-{sha8(branch)}"
    assert name(branch) == expected
    assert SAGEMAKER_NAME_RE.match(expected)


def test_the_hash_is_sha256_of_the_branch_in_utf8() -> None:
    assert name("feature/a") == "churn-feature-a-951d42dc"  # sha256(b"feature/a") = 951d42dc...
    assert name("ü") == "churn-607474ca"


@pytest.mark.parametrize(
    "branch", ["x" * 300, "a/" + "y" * 300, "Z" * 255, "é" * 200 + "b" * 60, "t-" * 130 + "q", "xx" + "-x" * 150]
)
def test_long_branches_fit_256_characters(branch: str) -> None:
    result = name(branch)
    assert len(result) <= 256
    assert SAGEMAKER_NAME_RE.match(result)
    assert result.endswith(f"-{sha8(branch)}")
    assert "--" not in result


def test_a_branch_filling_256_exactly_keeps_its_name_and_one_more_character_hashes() -> None:
    fits = "f" * (256 - len("churn-"))
    assert name(fits) == f"churn-{fits}"
    assert name(fits + "g") == f"churn-{'f' * (256 - len('churn-') - 9)}-{sha8(fits + 'g')}"
    assert len(name(fits + "g")) == 256


def test_distinct_branches_never_share_a_pipeline() -> None:
    sample = [
        "feature-a",
        "feature/a",
        "Feature/A",
        "feature/A",
        "FEATURE-A",
        "feature_a",
        "feature--a",
        "feature.a",
        "feature-a-951d42dc",  # the hashed name of feature/a, as a branch: must not take it
        "951d42dc",
        "p-abc123def456-pipeline",
        "__",
        "_",
        "ü",
        "u",
        "x" * 300,
        "x" * 301,
        "x" * 299 + "y",
        "main2",
    ]
    names = [name(branch) for branch in sample]
    assert len({n.lower() for n in names}) == len(sample)  # case-insensitively distinct (ARNs are lowercased)
    assert PRODUCTION.lower() not in {n.lower() for n in names}


def test_names_are_deterministic() -> None:
    reserved = (n for n in [PRODUCTION])  # any iterable
    assert pipeline_name(PROJECT, "Feature/A", reserved) == pipeline_name(PROJECT, "Feature/A", [PRODUCTION])
    assert [name("x" * 300) for _ in range(3)] == [name("x" * 300)] * 3


@pytest.mark.parametrize("branch", ["", "-x", "a..b", "a b", "a:b", "feature/", "x.lock", "@", "a@{b"])
def test_invalid_branch_names_are_refused(branch: str) -> None:
    with pytest.raises(BranchPipelinesError, match="not a valid git branch name"):
        name(branch)


@pytest.mark.parametrize("project", ["bad_project", "-churn", "", "p" * 250])
def test_an_invalid_project_name_is_refused(project: str) -> None:
    with pytest.raises(BranchPipelinesError, match="no valid SageMaker pipeline name"):
        pipeline_name(project, "feature-a", [])


# --- configuration ------------------------------------------------------------------------------------------------


def test_configuration_is_read_from_the_environment() -> None:
    assert CONFIG.project_name == PROJECT
    assert CONFIG.reserved_pipeline_names == frozenset({PRODUCTION})
    assert CONFIG.repository == branch_pipelines.CodeCommitRepository(REPO)
    assert CONFIG.git_endpoint_url is None
    connection = Config.from_env({**ENV, "REPOSITORY": CONNECTION_REPOSITORY, "GIT_HTTP_ENDPOINT_URL": "http://h:1"})
    assert connection.repository == githttp.ConnectionRemote(CONNECTION_ARN, "owner/models")
    assert connection.git_endpoint_url == "http://h:1"


@pytest.mark.parametrize("variable", sorted(ENV))
def test_a_missing_variable_is_named(variable: str) -> None:
    environ = {key: value for key, value in ENV.items() if key != variable}
    with pytest.raises(BranchPipelinesError, match=f"^{variable} is not set$"):
        Config.from_env(environ)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PROJECT_NAME", "churn_model", "PROJECT_NAME 'churn_model' is not valid"),
        ("PROJECT_ID", "p_1", "PROJECT_ID 'p_1' is not valid"),
        ("MAIN_BRANCH", "ma..in", "MAIN_BRANCH 'ma..in' is not a valid git branch name"),
        ("RESERVED_PIPELINE_NAMES", "churn-p-pipeline", "RESERVED_PIPELINE_NAMES is not valid JSON"),
        ("RESERVED_PIPELINE_NAMES", '{"a": 1}', "RESERVED_PIPELINE_NAMES must be a JSON list"),
        ("EXPERIMENT_ROLE_ARN", "mlops-experiments", "EXPERIMENT_ROLE_ARN 'mlops-experiments' is not valid"),
        ("CODEPIPELINE_NAME", "churn experiments", "CODEPIPELINE_NAME 'churn experiments' is not valid"),
        ("REPOSITORY", "churn-model-build", "REPOSITORY is not valid JSON"),
        ("REPOSITORY", '{"kind": "github", "name": "x"}', 'REPOSITORY must be a JSON object whose "kind"'),
        ("REPOSITORY", '{"kind": "codecommit"}', "REPOSITORY: a codecommit repository needs a valid name"),
        ("REPOSITORY", '{"kind": "codeconnections", "connection_arn": "arn:x"}', "needs connection_arn and full"),
        (
            "REPOSITORY",
            json.dumps({"kind": "codeconnections", "connection_arn": "arn:x", "full_repository_id": "o/r"}),
            "REPOSITORY: 'arn:x' is not a CodeConnections connection ARN",
        ),
    ],
)
def test_an_invalid_variable_is_named(variable: str, value: str, message: str) -> None:
    with pytest.raises(BranchPipelinesError, match=re.escape(message)):
        Config.from_env({**ENV, variable: value})


# --- CodeCommit events: pushes ------------------------------------------------------------------------------------


def expected_start(branch: str, commit: str) -> dict[str, Any]:
    return {
        "name": CODEPIPELINE,
        "variables": [{"name": "BranchName", "value": branch}],
        "sourceRevisions": [{"actionName": "Source", "revisionType": "COMMIT_ID", "revisionValue": commit}],
        "clientRequestToken": branch_pipelines.start_token(branch, commit),
    }


def test_a_created_branch_starts_the_experiments_pipeline_once_per_commit() -> None:
    codepipeline = offline_client("codepipeline")
    event = codecommit_event("referenceCreated", "feature/churn-v2")
    expected = expected_start("feature/churn-v2", COMMIT)
    with Stubber(codepipeline) as stub:
        stub.add_response("start_pipeline_execution", {"pipelineExecutionId": "exec-1"}, expected)
        stub.add_response("start_pipeline_execution", {"pipelineExecutionId": "exec-1"}, expected)
        first = branch_pipelines.on_reference_event(event, CONFIG, codepipeline, None)
        again = branch_pipelines.on_reference_event(event, CONFIG, codepipeline, None)  # a redelivery
        stub.assert_no_pending_responses()
    assert (
        first
        == again
        == {
            "status": "started",
            "branch": "feature/churn-v2",
            "commit": COMMIT,
            "sagemaker_pipeline_name": f"churn-feature-churn-v2-{sha8('feature/churn-v2')}",
            "pipeline_execution_id": "exec-1",
        }
    )
    token = expected["clientRequestToken"]
    assert CODEPIPELINE_TOKEN_RE.match(token) and len(token) <= 128


def test_an_updated_branch_starts_at_the_new_commit_with_another_token() -> None:
    codepipeline = offline_client("codepipeline")
    event = codecommit_event("referenceUpdated", "exp-1", commit=COMMIT, old=OLD_COMMIT)
    with Stubber(codepipeline) as stub:
        stub.add_response(
            "start_pipeline_execution", {"pipelineExecutionId": "exec-2"}, expected_start("exp-1", COMMIT)
        )
        answer = branch_pipelines.on_reference_event(event, CONFIG, codepipeline, None)
    assert answer["sagemaker_pipeline_name"] == "churn-exp-1"
    tokens = {
        branch_pipelines.start_token(*pair) for pair in [("exp-1", COMMIT), ("exp-1", OLD_COMMIT), ("exp-2", COMMIT)]
    }
    assert len(tokens) == 3


def test_a_codepipeline_error_names_the_pipeline_and_branch() -> None:
    codepipeline = offline_client("codepipeline")
    with Stubber(codepipeline) as stub:
        stub.add_client_error("start_pipeline_execution", "PipelineNotFoundException", "no such pipeline", 400)
        with pytest.raises(
            BranchPipelinesError, match=rf"CodePipeline {CODEPIPELINE} \(branch exp-1, commit {COMMIT}\)"
        ):
            branch_pipelines.on_reference_event(
                codecommit_event("referenceCreated", "exp-1"), CONFIG, codepipeline, None
            )


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (codecommit_event("referenceCreated", "main"), "main is the main branch"),
        (codecommit_event("referenceUpdated", "main", old=OLD_COMMIT), "main is the main branch"),
        (codecommit_event("referenceDeleted", "main", commit=None, old=OLD_COMMIT), "main is the main branch"),
        (codecommit_event("referenceCreated", "v1.0", reference_type="tag"), "tag 'v1.0': only branches"),
        (codecommit_event("referenceCreated", "exp-1", repository="other-repo"), "repository 'other-repo' is not"),
        (
            codecommit_event("referenceDeleted", "exp-1", commit=None, old=OLD_COMMIT, repository="other-repo"),
            "repository 'other-repo' is not",
        ),
    ],
    ids=["main-created", "main-updated", "main-deleted", "tag", "other-repository", "other-repository-deleted"],
)
def test_main_branch_tags_and_other_repositories_are_ignored(
    event: dict[str, Any], reason: str, sagemaker: SageMaker
) -> None:
    sagemaker.create(name("exp-1"))
    answer = reference(event, sagemaker)  # the Stubber fails any CodePipeline call
    assert answer["status"] == "ignored" and reason in answer["reason"]
    assert sagemaker.names() == {name("exp-1")}
    assert sagemaker.deleted == []


def test_codecommit_events_are_ignored_when_the_repository_is_behind_a_connection(sagemaker: SageMaker) -> None:
    config = Config.from_env({**ENV, "REPOSITORY": CONNECTION_REPOSITORY})
    codepipeline = offline_client("codepipeline")
    with Stubber(codepipeline):
        answer = branch_pipelines.on_reference_event(
            codecommit_event("referenceCreated", "exp-1"), config, codepipeline, sagemaker.client
        )
    assert answer == {"status": "ignored", "reason": "repository 'churn-model-build' is not repository owner/models "
                      f"(connection {CONNECTION_ARN})"}  # fmt: skip


# --- CodeCommit events: deletions ---------------------------------------------------------------------------------


def deleted(branch: str) -> dict[str, Any]:
    return codecommit_event("referenceDeleted", branch, commit=None, old=OLD_COMMIT)


def test_a_deleted_branch_s_pipeline_is_deleted_after_its_executions_stopped(sagemaker: SageMaker) -> None:
    pipeline = name("feature/x")
    sagemaker.create(pipeline)
    running = sagemaker.start(pipeline, "Executing")
    sagemaker.start(pipeline, "Stopping")  # stopped by someone else already: not stopped again
    sagemaker.start(pipeline, "Succeeded")
    sagemaker.create(name("feature/y"))

    def progress() -> None:  # SageMaker stops them while the function waits
        for arn, status in sagemaker.statuses(pipeline).items():
            if status == "Stopping":
                sagemaker.set_status(pipeline, arn, "Stopped")

    answer = reference(deleted("feature/x"), sagemaker, fake_clock(progress))

    assert answer == {
        "status": "deleted",
        "branch": "feature/x",
        "sagemaker_pipeline_name": pipeline,
        "stopped_executions": [running],
    }
    assert [body["PipelineExecutionArn"] for body in sagemaker.stopped] == [running]
    assert 32 <= len(sagemaker.stopped[0]["ClientRequestToken"]) <= 128
    ((deleted_name, statuses),) = sagemaker.deleted  # deleted once nothing ran any more
    assert deleted_name == pipeline and sorted(statuses) == ["Stopped", "Stopped", "Succeeded"]
    assert sagemaker.names() == {name("feature/y")}


def test_a_redelivered_deletion_finds_the_pipeline_absent(sagemaker: SageMaker) -> None:
    sagemaker.create(name("exp-1"))
    assert reference(deleted("exp-1"), sagemaker)["status"] == "deleted"
    assert reference(deleted("exp-1"), sagemaker) == {
        "status": "absent",
        "branch": "exp-1",
        "sagemaker_pipeline_name": "churn-exp-1",
        "stopped_executions": [],
    }
    assert [entry[0] for entry in sagemaker.deleted] == ["churn-exp-1"]


@pytest.mark.parametrize(
    ("role", "project_id"),
    [(EXPERIMENT_ROLE, OTHER_ID), (EXPERIMENT_ROLE, None), (PRODUCTION_ROLE, PROJECT_ID)],
    ids=["another-project-s-tag", "untagged", "another-role"],
)
def test_a_pipeline_that_is_not_this_project_s_experiment_is_left(
    role: str, project_id: str | None, sagemaker: SageMaker, caplog: pytest.LogCaptureFixture
) -> None:
    pipeline = name("exp-1")
    sagemaker.create(pipeline, role=role, project_id=project_id)
    running = sagemaker.start(pipeline, "Executing")

    answer = reference(deleted("exp-1"), sagemaker)

    assert answer == {
        "status": "left",
        "branch": "exp-1",
        "sagemaker_pipeline_name": pipeline,
        "stopped_executions": [],
    }
    assert sagemaker.names() == {pipeline}
    assert sagemaker.statuses(pipeline) == {running: "Executing"}
    assert sagemaker.stopped == [] and sagemaker.deleted == []
    assert f"SageMaker pipeline {pipeline} is not an experiment pipeline of project churn" in caplog.text


def test_executions_that_do_not_stop_in_time_fail_naming_them(sagemaker: SageMaker) -> None:
    pipeline = name("exp-1")
    sagemaker.create(pipeline)
    sagemaker.stop_sets = "Executing"  # still listed as executing after the stop request
    running = sagemaker.start(pipeline, "Executing")

    with pytest.raises(BranchPipelinesError, match=rf"{pipeline} not deleted: executions still running \({running}\)"):
        reference(deleted("exp-1"), sagemaker, fake_clock(seconds=35.0))

    assert sagemaker.names() == {pipeline} and sagemaker.deleted == []
    assert [body["PipelineExecutionArn"] for body in sagemaker.stopped] == [running]  # once, not every poll


# --- CodePipeline jobs --------------------------------------------------------------------------------------------


@dataclass
class Recorded:
    client: Any
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def recording_codepipeline() -> Recorded:
    """A real CodePipeline client recording the parameters of every call (before Stubber answers it)."""
    recorded = Recorded(offline_client("codepipeline"))

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        recorded.calls.append((model.name, params))

    recorded.client.meta.events.register("before-parameter-build.codepipeline", record)
    return recorded


def test_a_job_for_an_experiment_branch_succeeds_with_the_pipeline_name() -> None:
    codepipeline = offline_client("codepipeline")
    variables = {"SageMakerPipelineName": name("Feature/X"), "BranchName": "Feature/X"}
    with Stubber(codepipeline) as stub:
        stub.add_response("put_job_success_result", {}, {"jobId": JOB_ID, "outputVariables": variables})
        answer = branch_pipelines.on_job(branch_job("Feature/X"), CONFIG, codepipeline)
        stub.assert_no_pending_responses()
    assert answer == {"status": "succeeded", "job_id": JOB_ID, "output_variables": variables}
    assert variables["SageMakerPipelineName"] == f"churn-feature-x-{sha8('Feature/X')}"


@pytest.mark.parametrize(
    ("event", "kind", "message"),
    [
        (branch_job("main"), "JobFailed", "branch 'main' is the main branch"),
        (branch_job("feature..x"), "JobFailed", "branch 'feature..x' is not a valid git branch name"),
        (branch_job(""), "JobFailed", "branch '' is not a valid git branch name"),
        (job_event("feature/x"), "ConfigurationError", "UserParameters must be a JSON object"),
        (job_event(json.dumps({"branch": 7})), "ConfigurationError", "UserParameters must be a JSON object"),
        (job_event(json.dumps(["feature/x"])), "ConfigurationError", "UserParameters must be a JSON object"),
    ],
    ids=["main", "invalid", "empty", "not-json", "not-a-string", "not-an-object"],
)
def test_a_job_that_cannot_be_done_fails_with_a_message(event: dict[str, Any], kind: str, message: str) -> None:
    recorded = recording_codepipeline()
    with Stubber(recorded.client) as stub:
        stub.add_response("put_job_failure_result", {}, {"jobId": JOB_ID, "failureDetails": ANY})
        answer = branch_pipelines.on_job(event, CONFIG, recorded.client)
        stub.assert_no_pending_responses()
    (call,) = recorded.calls
    assert call[0] == "PutJobFailureResult"
    details = call[1]["failureDetails"]
    assert details["type"] == kind and message in details["message"]
    assert answer == {"status": "failed", "job_id": JOB_ID, "type": kind, "message": details["message"]}


def test_a_failure_message_is_cut_to_5000_characters() -> None:
    branch = "a b" * 3000  # invalid (spaces), and its repr is longer than CodePipeline takes
    recorded = recording_codepipeline()
    with Stubber(recorded.client) as stub:
        stub.add_response("put_job_failure_result", {}, {"jobId": JOB_ID, "failureDetails": ANY})
        branch_pipelines.on_job(branch_job(branch), CONFIG, recorded.client)
    message = recorded.calls[0][1]["failureDetails"]["message"]
    assert len(message) == 5000 and message.startswith("branch 'a ba b") and message.endswith("...")


def test_an_unexpected_failure_still_answers_the_job(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any) -> str:
        raise KeyError("surprise")

    monkeypatch.setattr(branch_pipelines, "pipeline_name", broken)
    recorded = recording_codepipeline()
    with Stubber(recorded.client) as stub:
        stub.add_response("put_job_failure_result", {}, {"jobId": JOB_ID, "failureDetails": ANY})
        answer = branch_pipelines.on_job(branch_job("exp-1"), CONFIG, recorded.client)
    assert answer["type"] == "JobFailed" and answer["message"] == "unexpected failure: KeyError: 'surprise'"


def test_a_job_result_that_cannot_be_reported_raises() -> None:
    codepipeline = offline_client("codepipeline")
    with Stubber(codepipeline) as stub:
        stub.add_client_error("put_job_success_result", "InvalidJobStateException", "job is not in progress", 400)
        with pytest.raises(BranchPipelinesError, match=rf"CodePipeline job {JOB_ID} \(put_job_success_result\): "):
            branch_pipelines.on_job(branch_job("exp-1"), CONFIG, codepipeline)


def test_a_job_event_without_a_valid_id_raises() -> None:
    with pytest.raises(BranchPipelinesError, match="no valid job id"):
        branch_pipelines.on_job(job_event('{"branch": "x"}', job_id="job-1"), CONFIG, offline_client("codepipeline"))


# --- scheduled reconcile: CodeCommit ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    live: str
    stale: str
    foreign: list[str]


def populate(sagemaker: SageMaker, live_branch: str, stale_branch: str) -> Project:
    """The live branch's and a deleted branch's experiment pipelines, and pipelines that are not experiments."""
    live, stale = name(live_branch), name(stale_branch)
    sagemaker.create(live)
    sagemaker.create(stale)
    sagemaker.create(PRODUCTION, role=PRODUCTION_ROLE)
    sagemaker.create(PRODUCTION + "-x", role=EXPERIMENT_ROLE, project_id=OTHER_ID)  # another project's, our prefix
    sagemaker.create("churn-old-idea", role=PRODUCTION_ROLE)  # stale-looking, another role
    sagemaker.create("retention-churn-exp-1")  # outside the prefix (moto's PipelineNamePrefix matches anywhere)
    return Project(live, stale, sorted([PRODUCTION, PRODUCTION + "-x", "churn-old-idea"]))


def test_reconcile_deletes_only_stale_experiment_pipelines(
    sagemaker: SageMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(branch_pipelines, "LIST_PAGE_SIZE", 2)  # moto pages list_pipelines too
    project = populate(sagemaker, "feature/a", "gone/b")
    running = sagemaker.start(project.stale, "Executing")
    codecommit = offline_client("codecommit")
    with Stubber(codecommit) as stub:
        stub.add_response(
            "list_branches", {"branches": ["main", "feature/a"], "nextToken": "t1"}, {"repositoryName": REPO}
        )
        stub.add_response("list_branches", {"branches": ["exp-2"]}, {"repositoryName": REPO, "nextToken": "t1"})
        answer = branch_pipelines.reconcile(
            CONFIG,
            sagemaker.client,
            branch_pipelines.branch_lister(CONFIG, codecommit, None),
            fake_clock(lambda: sagemaker.set_status(project.stale, running, "Stopped")),
        )
        stub.assert_no_pending_responses()
    assert answer == {
        "status": "reconciled",
        "kept": [project.live],
        "deleted": [project.stale],
        "left": project.foreign,
    }
    assert sagemaker.names() == {project.live, *project.foreign, "retention-churn-exp-1"}
    assert [body["PipelineExecutionArn"] for body in sagemaker.stopped] == [running]


def test_reconcile_deletes_nothing_when_branches_cannot_be_listed(sagemaker: SageMaker) -> None:
    project = populate(sagemaker, "feature/a", "gone/b")
    before = sagemaker.names()
    codecommit = offline_client("codecommit")
    with Stubber(codecommit) as stub:
        stub.add_response("list_branches", {"branches": ["main"], "nextToken": "t1"}, {"repositoryName": REPO})
        stub.add_client_error("list_branches", "ThrottlingException", "slow down", 400)
        with pytest.raises(
            BranchPipelinesError, match=f"branches of CodeCommit repository {REPO}: ThrottlingException"
        ):
            branch_pipelines.reconcile(
                CONFIG, sagemaker.client, branch_pipelines.branch_lister(CONFIG, codecommit, None), fake_clock()
            )
    assert sagemaker.names() == before and project.stale in before


def test_reconcile_deletes_nothing_when_the_main_branch_is_not_listed(sagemaker: SageMaker) -> None:
    project = populate(sagemaker, "feature/a", "gone/b")
    with pytest.raises(BranchPipelinesError, match="the main branch main is not among the 1 branches listed"):
        branch_pipelines.reconcile(CONFIG, sagemaker.client, lambda: {"feature/a"}, fake_clock())
    assert project.stale in sagemaker.names()


def test_reconcile_reports_a_pipeline_it_could_not_delete_after_handling_the_others(sagemaker: SageMaker) -> None:
    stuck, stale = name("stuck"), name("stale")
    sagemaker.create(stuck)
    sagemaker.create(stale)
    running = sagemaker.start(stuck, "Executing")
    expected = rf"deleted \['{stale}'\], but SageMaker pipeline {stuck} not deleted: .*\({re.escape(running)}\)"
    with pytest.raises(BranchPipelinesError, match=expected):
        branch_pipelines.reconcile(CONFIG, sagemaker.client, lambda: {"main"}, fake_clock(seconds=35.0))
    assert sagemaker.names() == {stuck}


# --- scheduled reconcile: CodeConnections, against a real git server ----------------------------------------------


@pytest.fixture
def git_server(tmp_path: Path) -> Iterator[GitServer]:
    with GitServer(tmp_path / "git", auth=CodeCommitSigV4(CREDENTIALS, REGION)) as running:
        running.create_repo(CONNECTION_REPO, branches={"main": {"README.md": b"# models\n"}, "feature-a": {"a": b"1"}})
        yield running


def connection_config(endpoint: str) -> Config:
    return Config.from_env({**ENV, "REPOSITORY": CONNECTION_REPOSITORY, "GIT_HTTP_ENDPOINT_URL": endpoint})


def test_reconcile_reads_codeconnections_branches_from_the_git_server(
    git_server: GitServer, sagemaker: SageMaker
) -> None:
    config = connection_config(git_server.url)
    sagemaker.create("churn-feature-a")
    sagemaker.create(name("feature/b"))

    answer = branch_pipelines.reconcile(
        config, sagemaker.client, branch_pipelines.branch_lister(config, None, CREDENTIALS), fake_clock()
    )

    assert answer == {"status": "reconciled", "kept": ["churn-feature-a"], "deleted": [name("feature/b")], "left": []}
    assert sagemaker.names() == {"churn-feature-a"}
    assert [(entry.method, entry.service) for entry in git_server.log] == [("GET", "git-upload-pack")]


def test_codeconnections_wrong_credentials_delete_nothing(git_server: GitServer, sagemaker: SageMaker) -> None:
    config = connection_config(git_server.url)
    sagemaker.create(name("feature/b"))
    wrong = ReadOnlyCredentials(CREDENTIALS.access_key, "not-the-secret-key", CREDENTIALS.token)

    with pytest.raises(BranchPipelinesError, match=rf"connection {CONNECTION_ARN} were refused .*HTTP 403") as raised:
        branch_pipelines.reconcile(
            config, sagemaker.client, branch_pipelines.branch_lister(config, None, wrong), fake_clock()
        )

    assert "example-session-token" not in str(raised.value)
    assert sagemaker.names() == {name("feature/b")}


def test_an_unreachable_git_server_deletes_nothing(sagemaker: SageMaker) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = connection_config(f"http://127.0.0.1:{port}")
    sagemaker.create(name("feature/b"))
    with pytest.raises(
        BranchPipelinesError, match=r"cannot list the branches of repository owner/models .*cannot reach"
    ):
        branch_pipelines.reconcile(
            config, sagemaker.client, branch_pipelines.branch_lister(config, None, CREDENTIALS), fake_clock()
        )
    assert sagemaker.names() == {name("feature/b")}


# --- the handler ---------------------------------------------------------------------------------------------------


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    return ENV


def create_codepipeline() -> Any:
    """The experiments CodePipeline in moto (its start records no variables: see the Stubber tests)."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "codepipeline.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    role = boto3.client("iam").create_role(RoleName="cp", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    codepipeline = boto3.client("codepipeline", region_name=REGION)
    source = {"category": "Source", "owner": "AWS", "provider": "CodeCommit", "version": "1"}
    build = {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"}
    codepipeline.create_pipeline(
        pipeline={
            "name": CODEPIPELINE,
            "roleArn": role,
            "pipelineType": "V2",
            "artifactStore": {"type": "S3", "location": "artifacts-bucket"},
            "variables": [{"name": "BranchName", "defaultValue": "none"}],
            "stages": [
                {
                    "name": "Source",
                    "actions": [
                        {
                            "name": "Source",
                            "actionTypeId": source,
                            "configuration": {"RepositoryName": REPO, "BranchName": "main"},
                            "outputArtifacts": [{"name": "src"}],
                        }
                    ],
                },
                {
                    "name": "Build",
                    "actions": [
                        {
                            "name": "Build",
                            "actionTypeId": build,
                            "configuration": {"ProjectName": "build"},
                            "inputArtifacts": [{"name": "src"}],
                        }
                    ],
                },
            ],
        }
    )
    return codepipeline


def test_handler_dispatches_codecommit_and_scheduled_events(
    environment: dict[str, str], sagemaker: SageMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    codepipeline = create_codepipeline()
    started = branch_pipelines.handler(codecommit_event("referenceCreated", "exp-1"), CONTEXT)
    assert started["status"] == "started" and started["sagemaker_pipeline_name"] == "churn-exp-1"
    executions = codepipeline.list_pipeline_executions(pipelineName=CODEPIPELINE)["pipelineExecutionSummaries"]
    assert [e["pipelineExecutionId"] for e in executions] == [started["pipeline_execution_id"]]

    sagemaker.create("churn-exp-1")
    sagemaker.create("churn-exp-2")
    assert branch_pipelines.handler(deleted("exp-1"), CONTEXT)["status"] == "deleted"
    assert sagemaker.names() == {"churn-exp-2"}

    found = boto3.session.Session().get_credentials()
    assert found is not None
    known = found.get_frozen_credentials()  # what the handler's session finds (offline_aws's)
    with GitServer(tmp_path / "handler", auth=CodeCommitSigV4(known, REGION)) as server:
        server.create_repo(CONNECTION_REPO, branches={"main": {"a": b"1"}, "exp-3": {"a": b"2"}})
        monkeypatch.setenv("REPOSITORY", CONNECTION_REPOSITORY)
        monkeypatch.setenv(githttp.ENDPOINT_ENV, server.url)
        sagemaker.create("churn-exp-3")
        answer = branch_pipelines.handler(SCHEDULED, CONTEXT)
    assert answer == {"status": "reconciled", "kept": ["churn-exp-3"], "deleted": ["churn-exp-2"], "left": []}


REAL_SESSION = boto3.session.Session


@dataclass
class StubbedClients:
    """Sessions for the handler whose CodePipeline clients answer through a Stubber ``prepare`` loads."""

    prepare: Callable[[Stubber], object] = lambda stub: None
    stubs: list[Stubber] = field(default_factory=list)

    def session(self) -> Any:
        owner = self

        class Session(REAL_SESSION):
            def client(self, *args: Any, **kwargs: Any) -> Any:
                client = super().client(*args, **kwargs)
                if client.meta.service_model.service_name == "codepipeline":
                    stub = Stubber(client)
                    owner.prepare(stub)
                    stub.activate()
                    owner.stubs.append(stub)
                return client

        return Session()


@pytest.fixture
def stubbed(monkeypatch: pytest.MonkeyPatch) -> Iterator[StubbedClients]:
    clients = StubbedClients()
    monkeypatch.setattr(boto3.session, "Session", clients.session)  # the handler's session
    with offline_aws(REGION):
        yield clients


def test_handler_answers_a_codepipeline_job(environment: dict[str, str], stubbed: StubbedClients) -> None:
    variables = {"SageMakerPipelineName": "churn-exp-1", "BranchName": "exp-1"}
    expected = {"jobId": JOB_ID, "outputVariables": variables}
    stubbed.prepare = lambda stub: stub.add_response("put_job_success_result", {}, expected)
    assert branch_pipelines.handler(branch_job("exp-1"), CONTEXT)["status"] == "succeeded"
    (stub,) = stubbed.stubs
    stub.assert_no_pending_responses()


def test_handler_fails_a_job_when_misconfigured(
    environment: dict[str, str], stubbed: StubbedClients, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EXPERIMENT_ROLE_ARN")
    details = {"type": "ConfigurationError", "message": "the function is misconfigured: EXPERIMENT_ROLE_ARN is not set"}
    stubbed.prepare = lambda stub: stub.add_response(
        "put_job_failure_result", {}, {"jobId": JOB_ID, "failureDetails": details}
    )
    assert branch_pipelines.handler(branch_job("exp-1"), CONTEXT)["status"] == "failed"
    (stub,) = stubbed.stubs
    stub.assert_no_pending_responses()
    with pytest.raises(BranchPipelinesError, match="EXPERIMENT_ROLE_ARN is not set"):
        branch_pipelines.handler(deleted("exp-1"), CONTEXT)  # no job to answer: the invocation fails
    assert len(stubbed.stubs) == 1  # no client was made for it


@pytest.mark.parametrize(
    "event",
    [
        {"detail-type": "Scheduled Event", "source": "aws.codecommit"},
        {"detail-type": "CodeCommit Pull Request State Change", "source": "aws.codecommit", "detail": {}},
        {"export": "model_build"},
        {},
    ],
)
def test_handler_refuses_other_events(event: dict[str, Any]) -> None:
    with pytest.raises(BranchPipelinesError, match=r"^unexpected event \(source "):
        branch_pipelines.handler(event, CONTEXT)


def test_module_imports_only_the_standard_library_boto3_and_githttp(tmp_path: Path) -> None:
    assert absolute_imports(branch_pipelines) == {"boto3", "botocore", "githttp"}  # githttp: shipped alongside
    words = load_alone(
        [branch_pipelines, githttp],
        tmp_path,
        "branch_pipelines.__version__, branch_pipelines.pipeline_name('p','A',[])",
    )
    assert words == [branch_pipelines.__version__, f"p-a-{sha8('A')}", "False"]
