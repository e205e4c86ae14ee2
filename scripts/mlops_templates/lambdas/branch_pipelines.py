"""Branch-pipelines function: one SageMaker pipeline per experimentation branch of a project's model-build repository.

The "multi-branch" template's glue. Every push to a branch other than the main branch runs the model build under
its own SageMaker pipeline, ``<project>-<branch>`` (see :func:`pipeline_name`), which registers into the project's
experiments model package group; deleting the branch deletes that SageMaker pipeline. The function is invoked three
ways (anything else raises :class:`BranchPipelinesError` ``unexpected event``):

1. **CodeCommit** (EventBridge ``detail-type`` ``CodeCommit Repository State Change``, ``source``
   ``aws.codecommit``; ``detail``: ``event``, ``referenceType``, ``referenceName``, ``commitId``, ``oldCommitId``,
   ``repositoryName``). Tags, the main branch and other repositories are answered ``{"status": "ignored",
   "reason"}``. ``referenceCreated``/``referenceUpdated`` start the experiments CodePipeline (V2) with the variable
   ``BranchName`` and the source revision ``COMMIT_ID`` = the pushed commit; the client request token is derived
   from the branch and commit, so a redelivered event does not start a second execution. Answer: ``{"status":
   "started", "branch", "commit", "sagemaker_pipeline_name", "pipeline_execution_id"}``.
   ``referenceDeleted`` deletes the branch's SageMaker pipeline when it is this project's experiment pipeline (see
   below): its running executions are stopped and waited for, then it is deleted. Answer: ``{"status": "deleted" |
   "absent" | "left", "branch", "sagemaker_pipeline_name", "stopped_executions"}`` (``left``: a pipeline of that
   name exists but is not this project's experiment pipeline: a warning is logged and nothing is deleted).

2. **CodePipeline job** (the Lambda invoke action the experiments CodePipeline runs before its build; the event
   holds ``CodePipeline.job`` with ``id`` and ``data.actionConfiguration.configuration.UserParameters`` =
   ``{"branch": "<branch>"}``). The branch must be a valid git branch name other than the main branch; the job is
   answered with ``PutJobSuccessResult`` and the output variables ``SageMakerPipelineName`` and ``BranchName``, or
   with ``PutJobFailureResult`` (``ConfigurationError`` for unreadable parameters or configuration, ``JobFailed``
   otherwise) whose message names the branch. The job is always answered (never left to time out); only a failure
   to answer it raises. The invocation returns ``{"status": "succeeded" | "failed", "job_id", ...}``.

3. **Scheduled reconcile** (``source`` ``aws.events``, ``detail-type`` ``Scheduled Event``): deletes the experiment
   pipelines whose branch no longer exists. CodeConnections sends no event when a branch is deleted, and a
   CodeCommit event can be missed. The live branches are CodeCommit's ``ListBranches``, or the ``refs/heads/*``
   the repository's git smart-HTTP endpoint advertises (CodeConnections, through :mod:`githttp`, signed in with the
   function's AWS credentials). If they cannot be listed, or the main branch is not among them (a listing that
   cannot be trusted), :class:`BranchPipelinesError` is raised and nothing is deleted. The SageMaker pipelines named
   ``<project>-*`` that are this project's experiment pipelines are kept when their name is :func:`pipeline_name`
   of a live branch other than the main branch, deleted otherwise. Answer: ``{"status": "reconciled", "kept",
   "deleted", "left"}`` (sorted names; ``left``: pipelines named like the project's that are not its experiment
   pipelines, e.g. the production pipeline). Pipelines that could not be deleted are named in the error raised
   after all the others were handled.

A SageMaker pipeline is **this project's experiment pipeline** only when its ``RoleArn`` is
``EXPERIMENT_ROLE_ARN`` **and** it carries the tag ``sagemaker:project-id`` = ``PROJECT_ID``; nothing else is ever
stopped or deleted (a reserved name never is, whatever its role and tags).

Configuration (environment, read once per invocation; a missing or invalid variable raises
:class:`BranchPipelinesError` naming it):

* ``PROJECT_NAME`` (the SageMaker project name, e.g. ``churn``), ``PROJECT_ID`` (e.g. ``p-abc123def456``);
* ``MAIN_BRANCH`` (e.g. ``main``): never an experiment;
* ``RESERVED_PIPELINE_NAMES``: a JSON list of SageMaker pipeline names no experiment may get (the production
  pipeline ``<project>-<id>-pipeline``);
* ``EXPERIMENT_ROLE_ARN``: the experiments' SageMaker execution role;
* ``CODEPIPELINE_NAME``: the experiments CodePipeline;
* ``REPOSITORY``: ``{"kind": "codecommit", "name": ...}`` or ``{"kind": "codeconnections", "connection_arn": ...,
  "full_repository_id": "owner/name"}``;
* ``GIT_HTTP_ENDPOINT_URL`` (optional; tests and proxies): replaces the scheme and host of the CodeConnections
  git-http URL.

AWS errors are raised as :class:`BranchPipelinesError` naming the resource at fault. The function needs
``codepipeline:StartPipelineExecution`` on the experiments pipeline, ``codepipeline:PutJobSuccessResult`` and
``PutJobFailureResult``, ``sagemaker:ListPipelines``, ``DescribePipeline``, ``ListTags``,
``ListPipelineExecutions``, ``StopPipelineExecution`` and ``DeletePipeline``, and ``codecommit:ListBranches`` or
``codeconnections:UseConnection`` (git-http). The git protocol is :mod:`githttp`'s, which the function's zip holds
next to this file; besides it, only the standard library and boto3 are imported.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.config import Config as BotoConfig
from botocore.credentials import ReadOnlyCredentials
from botocore.exceptions import BotoCoreError, ClientError

try:
    from . import githttp
except ImportError:  # in the Lambda zip, githttp.py is a top-level module next to this one
    import githttp  # type: ignore[no-redef, import-not-found]

# The function's version (`mlops-templates package` reads it): bump it with every change to this file.
__version__ = "1.0.0"

LOG = logging.getLogger(__name__)
LOG.setLevel(logging.INFO)

AGENT = f"mlops-templates-branch-pipelines/{__version__}"
PROJECT_TAG = "sagemaker:project-id"
MAX_PIPELINE_NAME = 256
HASH_LENGTH = 8
PIPELINE_NAME_RE = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$")
HASH_SUFFIX_RE = re.compile(rf"-[0-9a-f]{{{HASH_LENGTH}}}$")
SLUG_SEPARATORS_RE = re.compile(r"[^a-z0-9]+")
PROJECT_NAME_RE = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$")
PROJECT_ID_RE = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,19}$")
CODEPIPELINE_NAME_RE = re.compile(r"^[A-Za-z0-9.@_-]{1,100}$")
ROLE_ARN_RE = re.compile(r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}$")
CODECOMMIT_NAME_RE = re.compile(r"^[\w.-]{1,100}$")
JOB_ID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

CODECOMMIT_DETAIL_TYPE = "CodeCommit Repository State Change"
SCHEDULED_DETAIL_TYPE = "Scheduled Event"
JOB_KEY = "CodePipeline.job"
STARTING_EVENTS = frozenset({"referenceCreated", "referenceUpdated"})
DELETING_EVENT = "referenceDeleted"
SOURCE_ACTION = "Source"
BRANCH_VARIABLE = "BranchName"
RUNNING = frozenset({"Executing", "Stopping"})
NOT_FOUND_CODES = frozenset({"ResourceNotFound", "ResourceNotFoundException"})
NOT_FOUND_TEXT = ("could not find", "does not exist", "not found")
MAX_FAILURE_MESSAGE = 5000
LIST_PAGE_SIZE = 100
MARGIN_SECONDS = 20.0
POLL_SECONDS = 10.0
DEFAULT_SECONDS = 600.0  # the time a clock gives when the caller names no deadline (no Lambda context)

ENV = {
    "project_name": "PROJECT_NAME",
    "project_id": "PROJECT_ID",
    "main_branch": "MAIN_BRANCH",
    "reserved": "RESERVED_PIPELINE_NAMES",
    "role": "EXPERIMENT_ROLE_ARN",
    "codepipeline": "CODEPIPELINE_NAME",
    "repository": "REPOSITORY",
}


class BranchPipelinesError(Exception):
    """The function cannot do what the event asks; the message names the variable, branch or resource at fault."""


# --- Configuration -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCommitRepository:
    """The model-build repository in CodeCommit."""

    name: str


Repository = CodeCommitRepository | githttp.ConnectionRemote


@dataclass(frozen=True)
class Config:
    """The function's environment (see the module's documentation)."""

    project_name: str
    project_id: str
    main_branch: str
    reserved_pipeline_names: frozenset[str]
    experiment_role_arn: str
    codepipeline_name: str
    repository: Repository
    git_endpoint_url: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Config:
        def text(key: str, pattern: re.Pattern[str] | None = None) -> str:
            name = ENV[key]
            value = environ.get(name, "").strip()
            if not value:
                raise BranchPipelinesError(f"{name} is not set")
            if pattern is not None and not pattern.match(value):
                raise BranchPipelinesError(f"{name} {value!r} is not valid (it must match {pattern.pattern})")
            return value

        main_branch = text("main_branch")
        if not githttp.is_valid_branch(main_branch):
            raise BranchPipelinesError(f"MAIN_BRANCH {main_branch!r} is not a valid git branch name")
        return cls(
            project_name=text("project_name", PROJECT_NAME_RE),
            project_id=text("project_id", PROJECT_ID_RE),
            main_branch=main_branch,
            reserved_pipeline_names=_reserved(text("reserved")),
            experiment_role_arn=text("role", ROLE_ARN_RE),
            codepipeline_name=text("codepipeline", CODEPIPELINE_NAME_RE),
            repository=_repository(text("repository")),
            git_endpoint_url=environ.get(githttp.ENDPOINT_ENV, "").strip() or None,
        )

    def name_of(self, branch: str) -> str:
        """The experiment SageMaker pipeline of ``branch``."""
        return pipeline_name(self.project_name, branch, self.reserved_pipeline_names)


def _reserved(raw: str) -> frozenset[str]:
    name = ENV["reserved"]
    try:
        names = json.loads(raw)
    except ValueError as exc:
        raise BranchPipelinesError(f"{name} is not valid JSON: {exc}") from None
    if not isinstance(names, list) or not all(githttp.is_text(item) for item in names):
        raise BranchPipelinesError(f"{name} must be a JSON list of SageMaker pipeline names")
    return frozenset(names)


def _repository(raw: str) -> Repository:
    name = ENV["repository"]
    try:
        spec = json.loads(raw)
    except ValueError as exc:
        raise BranchPipelinesError(f"{name} is not valid JSON: {exc}") from None
    kind = spec.get("kind") if isinstance(spec, dict) else None
    if kind == "codecommit":
        repository = spec.get("name")
        if not isinstance(repository, str) or not CODECOMMIT_NAME_RE.match(repository):
            raise BranchPipelinesError(f"{name}: a codecommit repository needs a valid name, got {repository!r}")
        return CodeCommitRepository(repository)
    if kind == "codeconnections":
        arn, full_id = spec.get("connection_arn"), spec.get("full_repository_id")
        if not isinstance(arn, str) or not isinstance(full_id, str):
            raise BranchPipelinesError(f"{name}: codeconnections needs connection_arn and full_repository_id")
        try:
            githttp.connection_url(arn, full_id)
        except githttp.GitConfigError as exc:
            raise BranchPipelinesError(f"{name}: {exc}") from None
        return githttp.ConnectionRemote(arn, full_id)
    raise BranchPipelinesError(f'{name} must be a JSON object whose "kind" is "codecommit" or "codeconnections"')


def _describe(repository: Repository) -> str:
    if isinstance(repository, CodeCommitRepository):
        return f"CodeCommit repository {repository.name}"
    return f"repository {repository.full_repository_id} (connection {repository.connection_arn})"


# --- Names -------------------------------------------------------------------------------------------------------


def pipeline_name(project: str, branch: str, reserved: Iterable[str]) -> str:
    """The SageMaker pipeline of the experimentation branch ``branch`` of project ``project``.

    The branch's *slug* is the branch lower-cased, every run of characters other than ``a-z`` and ``0-9`` replaced
    by one ``-``, leading and trailing ``-`` stripped. When the slug *is* the branch (a branch named with lower-case
    letters, digits and single inner hyphens only: the mapping lost nothing), the name is ``<project>-<slug>``, unless
    it is longer than 256 characters, equals a ``reserved`` name (case-insensitively: the production pipeline) or
    ends like a hashed name (``-`` and 8 hexadecimal digits). Every other branch is named
    ``<project>-<slug, truncated to fit 256>-<the first 8 hex digits of sha256(branch)>`` (``<project>-<hash>`` when
    the slug is empty, e.g. for ``---``).

    The hash keeps distinct branches apart: ``Feature/A``, ``feature/a`` and ``feature-a`` all have the slug
    ``feature-a``, and SageMaker lowercases pipeline names in ARNs (so case alone cannot tell pipelines apart
    either). Only ``feature-a`` is named ``<project>-feature-a``; the others get their own hashes. A lossless name
    never ends like a hashed one, so a lossless name and a hashed name never meet, lossless names are as distinct as
    their branches, and two hashed names meet only if two branches' SHA-256 digests share 32 bits. The name is a
    function of its arguments alone, so every invocation (and the experiments CodePipeline's build) agrees on it.

    Raises :class:`BranchPipelinesError` when ``branch`` is no valid git branch name, or when no valid SageMaker
    pipeline name results (e.g. an invalid or too long project name).
    """
    if not githttp.is_valid_branch(branch):
        raise BranchPipelinesError(f"branch {branch!r} is not a valid git branch name")
    slug = SLUG_SEPARATORS_RE.sub("-", branch.lower()).strip("-")
    name = f"{project}-{slug}"
    taken = {item.lower() for item in reserved}
    lossless = slug == branch and len(name) <= MAX_PIPELINE_NAME and name.lower() not in taken
    if not lossless or HASH_SUFFIX_RE.search(name):
        digest = hashlib.sha256(branch.encode("utf-8")).hexdigest()[:HASH_LENGTH]
        room = MAX_PIPELINE_NAME - len(project) - len(digest) - 2
        slug = slug[: max(room, 0)].strip("-")
        name = f"{project}-{slug}-{digest}" if slug else f"{project}-{digest}"
    if len(name) > MAX_PIPELINE_NAME or not PIPELINE_NAME_RE.match(name) or name.lower() in taken:
        raise BranchPipelinesError(
            f"no valid SageMaker pipeline name for branch {branch!r} of project {project!r} (got {name!r})"
        )
    return name


def start_token(branch: str, commit: str) -> str:
    """The CodePipeline client request token of one push: the same for a redelivered event (64 hex digits)."""
    return hashlib.sha256(f"{branch}\n{commit}".encode()).hexdigest()


def _token(*parts: str) -> str:
    """A SageMaker client request token (32 to 128 characters) derived from ``parts``."""
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


# --- AWS helpers -------------------------------------------------------------------------------------------------


def _code(err: ClientError) -> str:
    return str(err.response.get("Error", {}).get("Code", "Unknown"))


def _failure(what: str, err: ClientError) -> BranchPipelinesError:
    message = str(err.response.get("Error", {}).get("Message", "")).strip()
    return BranchPipelinesError(f"{what}: {_code(err)}{f': {message}' if message else ''}")


def is_not_found(err: ClientError) -> bool:
    """SageMaker answers a missing pipeline with ValidationException "Could not find ..."."""
    message = str(err.response.get("Error", {}).get("Message", "")).lower()
    return _code(err) in NOT_FOUND_CODES or (
        _code(err) == "ValidationException" and any(text in message for text in NOT_FOUND_TEXT)
    )


def _pages(call: Callable[..., dict[str, Any]], key: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
    while True:
        page = call(**kwargs)
        yield from page.get(key, [])
        if not page.get("NextToken"):
            return
        kwargs["NextToken"] = page["NextToken"]


@dataclass
class Clock:
    """Time left before the Lambda's deadline; injectable for tests."""

    deadline: float
    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep

    @classmethod
    def from_context(cls, context: object) -> Clock:
        remaining = getattr(context, "get_remaining_time_in_millis", None)
        seconds = remaining() / 1000.0 if callable(remaining) else DEFAULT_SECONDS
        return cls(deadline=time.monotonic() + seconds - MARGIN_SECONDS)

    def wait(self) -> bool:
        """Sleep one poll interval; False when no time is left for it."""
        if self.deadline - self.now() < POLL_SECONDS:
            return False
        self.sleep(POLL_SECONDS)
        return True


def _default_clock() -> Clock:
    return Clock(deadline=time.monotonic() + DEFAULT_SECONDS)


# --- SageMaker pipelines -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pipeline:
    name: str
    arn: str
    role_arn: str
    created: str


def describe(sagemaker: Any, name: str) -> Pipeline | None:
    """The pipeline named ``name`` (None when there is none)."""
    try:
        found = sagemaker.describe_pipeline(PipelineName=name)
    except ClientError as err:
        if is_not_found(err):
            return None
        raise _failure(f"SageMaker pipeline {name}", err) from err
    return Pipeline(
        name=str(found.get("PipelineName") or name),
        arn=str(found["PipelineArn"]),
        role_arn=str(found.get("RoleArn") or ""),
        created=str(found.get("CreationTime") or ""),
    )


def is_experiment(sagemaker: Any, config: Config, pipeline: Pipeline) -> bool:
    """Is ``pipeline`` this project's experiment pipeline (the experiments role and the project's tag)?"""
    if pipeline.role_arn != config.experiment_role_arn or pipeline.name.lower() in {
        name.lower() for name in config.reserved_pipeline_names
    }:
        return False
    try:
        tags = list(_pages(sagemaker.list_tags, "Tags", ResourceArn=pipeline.arn))
    except ClientError as err:
        raise _failure(f"tags of SageMaker pipeline {pipeline.name}", err) from err
    return any(tag.get("Key") == PROJECT_TAG and tag.get("Value") == config.project_id for tag in tags)


def _running(sagemaker: Any, name: str) -> list[dict[str, Any]]:
    try:
        executions = _pages(sagemaker.list_pipeline_executions, "PipelineExecutionSummaries", PipelineName=name)
        return [e for e in executions if e.get("PipelineExecutionStatus") in RUNNING]
    except ClientError as err:
        raise _failure(f"executions of SageMaker pipeline {name}", err) from err


def remove(sagemaker: Any, pipeline: Pipeline, clock: Clock) -> tuple[bool, list[str]]:
    """Stop the running executions of ``pipeline`` (this project's experiment pipeline), wait until none runs, and
    delete it; whether it was deleted (False: it was gone already) and the executions stopped."""
    stopped: list[str] = []
    while True:
        running = _running(sagemaker, pipeline.name)
        if not running:
            break
        for execution in running:
            arn = str(execution["PipelineExecutionArn"])
            if execution["PipelineExecutionStatus"] != "Executing" or arn in stopped:
                continue
            try:
                sagemaker.stop_pipeline_execution(PipelineExecutionArn=arn, ClientRequestToken=_token("stop", arn))
            except ClientError as err:
                if not is_not_found(err):
                    raise _failure(f"execution {arn} of SageMaker pipeline {pipeline.name}", err) from err
            LOG.info("stopping %s", arn)
            stopped.append(arn)
        if not clock.wait():
            names = ", ".join(str(e["PipelineExecutionArn"]) for e in running)
            raise BranchPipelinesError(
                f"SageMaker pipeline {pipeline.name} not deleted: executions still running ({names}); "
                "the scheduled reconcile deletes it once they have stopped"
            )
    try:
        sagemaker.delete_pipeline(
            PipelineName=pipeline.name, ClientRequestToken=_token("delete", pipeline.arn, pipeline.created)
        )
    except ClientError as err:
        if is_not_found(err):
            return False, stopped
        raise _failure(f"SageMaker pipeline {pipeline.name}", err) from err
    LOG.info("deleted SageMaker pipeline %s (stopped: %s)", pipeline.name, stopped or "nothing")
    return True, stopped


def delete_experiment(sagemaker: Any, config: Config, name: str, clock: Clock) -> tuple[str, list[str]]:
    """Delete the SageMaker pipeline ``name`` when it is this project's experiment pipeline: ``deleted``,
    ``absent`` or ``left`` (not ours: nothing deleted), and the executions stopped."""
    pipeline = describe(sagemaker, name)
    if pipeline is None:
        LOG.info("SageMaker pipeline %s does not exist: nothing to delete", name)
        return "absent", []
    if not is_experiment(sagemaker, config, pipeline):
        LOG.warning(
            "SageMaker pipeline %s is not an experiment pipeline of project %s (role %s, tag %s=%s expected): left",
            name,
            config.project_name,
            config.experiment_role_arn,
            PROJECT_TAG,
            config.project_id,
        )
        return "left", []
    deleted, stopped = remove(sagemaker, pipeline, clock)
    return ("deleted" if deleted else "absent"), stopped


# --- 1. CodeCommit events ----------------------------------------------------------------------------------------


def ignored(reason: str) -> dict[str, Any]:
    LOG.info("ignored: %s", reason)
    return {"status": "ignored", "reason": reason}


def on_reference_event(
    event: Mapping[str, Any], config: Config, codepipeline: Any, sagemaker: Any, clock: Clock | None = None
) -> dict[str, Any]:
    """Start the experiments CodePipeline for a pushed branch, or delete a deleted branch's SageMaker pipeline."""
    detail = event.get("detail")
    if not isinstance(detail, Mapping):
        raise BranchPipelinesError("the CodeCommit event has no detail")
    action, kind = detail.get("event"), detail.get("referenceType")
    repository, branch = detail.get("repositoryName"), detail.get("referenceName")
    LOG.info("CodeCommit %s of %s %s in %s (commit %s)", action, kind, branch, repository, detail.get("commitId"))
    if not isinstance(config.repository, CodeCommitRepository) or repository != config.repository.name:
        return ignored(f"repository {repository!r} is not {_describe(config.repository)}")
    if kind != "branch":
        return ignored(f"{kind} {branch!r}: only branches have pipelines")
    if not isinstance(branch, str) or not githttp.is_valid_branch(branch):
        raise BranchPipelinesError(f"the CodeCommit event names no valid branch: {branch!r}")
    if branch == config.main_branch:
        return ignored(f"{branch} is the main branch: its pipeline is the production one")
    name = config.name_of(branch)
    if action in STARTING_EVENTS:
        commit = detail.get("commitId")
        if not isinstance(commit, str) or not githttp.OBJECT_ID_RE.match(commit):
            raise BranchPipelinesError(f"the CodeCommit {action} event of branch {branch} has no valid commitId")
        return start(config, codepipeline, branch, commit, name)
    if action == DELETING_EVENT:
        status, stopped = delete_experiment(sagemaker, config, name, clock or _default_clock())
        return {"status": status, "branch": branch, "sagemaker_pipeline_name": name, "stopped_executions": stopped}
    return ignored(f"CodeCommit event {action!r} of branch {branch}")


def start(config: Config, codepipeline: Any, branch: str, commit: str, name: str) -> dict[str, Any]:
    """Start the experiments CodePipeline at ``commit`` of ``branch`` (once per branch and commit)."""
    try:
        started = codepipeline.start_pipeline_execution(
            name=config.codepipeline_name,
            variables=[{"name": BRANCH_VARIABLE, "value": branch}],
            sourceRevisions=[{"actionName": SOURCE_ACTION, "revisionType": "COMMIT_ID", "revisionValue": commit}],
            clientRequestToken=start_token(branch, commit),
        )
    except ClientError as err:
        raise _failure(f"CodePipeline {config.codepipeline_name} (branch {branch}, commit {commit})", err) from err
    execution = str(started["pipelineExecutionId"])
    LOG.info("started %s execution %s for %s at %s (%s)", config.codepipeline_name, execution, branch, commit, name)
    return {
        "status": "started",
        "branch": branch,
        "commit": commit,
        "sagemaker_pipeline_name": name,
        "pipeline_execution_id": execution,
    }


# --- 2. CodePipeline jobs ----------------------------------------------------------------------------------------


class JobFailure(Exception):
    """Why a job fails, and its CodePipeline failure type."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def job_id(event: Mapping[str, Any]) -> str:
    job = event.get(JOB_KEY)
    identifier = job.get("id") if isinstance(job, Mapping) else None
    if not isinstance(identifier, str) or not JOB_ID_RE.match(identifier):
        raise BranchPipelinesError(f"the CodePipeline job event has no valid job id: {identifier!r}")
    return identifier


def job_branch(event: Mapping[str, Any]) -> str:
    """The ``branch`` of the job's UserParameters; raises :class:`JobFailure` (ConfigurationError)."""
    job = event.get(JOB_KEY)
    data = job.get("data") if isinstance(job, Mapping) else None
    action = data.get("actionConfiguration") if isinstance(data, Mapping) else None
    configuration = action.get("configuration") if isinstance(action, Mapping) else None
    raw = configuration.get("UserParameters") if isinstance(configuration, Mapping) else None
    try:
        parameters = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        parameters = None
    branch = parameters.get("branch") if isinstance(parameters, dict) else None
    if not isinstance(branch, str):
        raise JobFailure(
            "ConfigurationError",
            f'the action\'s UserParameters must be a JSON object {{"branch": "<branch>"}}, got {raw!r}',
        )
    return branch


def _report(codepipeline: Any, identifier: str, call: str, **kwargs: Any) -> None:
    try:
        getattr(codepipeline, call)(jobId=identifier, **kwargs)
    except ClientError as err:
        raise _failure(f"CodePipeline job {identifier} ({call})", err) from err


def fail_job(codepipeline: Any, identifier: str, kind: str, message: str) -> dict[str, Any]:
    """Answer the job with a failure (the message cut to CodePipeline's 5000 characters)."""
    text = message if len(message) <= MAX_FAILURE_MESSAGE else message[: MAX_FAILURE_MESSAGE - 3] + "..."
    LOG.error("job %s failed (%s): %s", identifier, kind, text)
    _report(codepipeline, identifier, "put_job_failure_result", failureDetails={"type": kind, "message": text})
    return {"status": "failed", "job_id": identifier, "type": kind, "message": text}


def on_job(event: Mapping[str, Any], config: Config, codepipeline: Any) -> dict[str, Any]:
    """Answer the experiments CodePipeline's job: the branch's SageMaker pipeline name, or why there is none."""
    identifier = job_id(event)
    try:
        branch = job_branch(event)
        LOG.info("job %s: branch %r", identifier, branch)
        if not githttp.is_valid_branch(branch):
            raise JobFailure("JobFailed", f"branch {branch!r} is not a valid git branch name")
        if branch == config.main_branch:
            raise JobFailure(
                "JobFailed",
                f"branch {branch!r} is the main branch: it is built by the production pipeline, not as an experiment",
            )
        try:
            name = config.name_of(branch)
        except BranchPipelinesError as exc:
            raise JobFailure("ConfigurationError", f"branch {branch!r}: {exc}") from None
    except JobFailure as failure:
        return fail_job(codepipeline, identifier, failure.kind, str(failure))
    except Exception as exc:  # the job is answered whatever happens
        LOG.exception("job %s: unexpected failure", identifier)
        return fail_job(codepipeline, identifier, "JobFailed", f"unexpected failure: {type(exc).__name__}: {exc}")
    variables = {"SageMakerPipelineName": name, BRANCH_VARIABLE: branch}
    _report(codepipeline, identifier, "put_job_success_result", outputVariables=variables)
    LOG.info("job %s succeeded: %s", identifier, variables)
    return {"status": "succeeded", "job_id": identifier, "output_variables": variables}


# --- 3. Reconcile ------------------------------------------------------------------------------------------------


def codecommit_branches(codecommit: Any, repository: str) -> set[str]:
    """The branches of a CodeCommit repository (every page)."""
    branches: set[str] = set()
    arguments: dict[str, Any] = {"repositoryName": repository}
    try:
        while True:
            page = codecommit.list_branches(**arguments)
            branches.update(page.get("branches", []))
            if not page.get("nextToken"):
                return branches
            arguments["nextToken"] = page["nextToken"]
    except ClientError as err:
        raise _failure(f"branches of CodeCommit repository {repository}", err) from err


def connection_branches(
    spec: githttp.ConnectionRemote,
    credentials: ReadOnlyCredentials | None,
    endpoint_url: str | None,
    now: datetime | None = None,
    opener: githttp.Opener | None = None,
) -> set[str]:
    """The branches a CodeConnections repository's git smart-HTTP endpoint advertises (``refs/heads/*``)."""
    if credentials is None:
        raise BranchPipelinesError(f"no AWS credentials to sign in to connection {spec.connection_arn}")
    try:
        remote = githttp.connection_remote(spec, credentials, now or datetime.now(UTC), endpoint_url)
        advert = githttp.GitHttp(remote, opener, agent=AGENT).advertisement("git-upload-pack")
    except githttp.GitError as exc:
        raise BranchPipelinesError(f"cannot list the branches of {_describe(spec)}: {exc}") from exc
    prefix = "refs/heads/"
    return {ref[len(prefix) :] for ref in advert.refs if ref.startswith(prefix)}


@dataclass
class Reconciled:
    kept: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "reconciled",
            "kept": sorted(self.kept),
            "deleted": sorted(self.deleted),
            "left": sorted(self.left),
        }


def project_pipelines(sagemaker: Any, config: Config) -> list[str]:
    """The names of the SageMaker pipelines named ``<project>-*``."""
    prefix = f"{config.project_name}-"
    try:
        summaries = list(
            _pages(sagemaker.list_pipelines, "PipelineSummaries", PipelineNamePrefix=prefix, MaxResults=LIST_PAGE_SIZE)
        )
    except ClientError as err:
        raise _failure(f"SageMaker pipelines named {prefix}*", err) from err
    names = {str(summary["PipelineName"]) for summary in summaries}
    return sorted(name for name in names if name.lower().startswith(prefix.lower()))


def reconcile(
    config: Config, sagemaker: Any, branches: Callable[[], set[str]], clock: Clock | None = None
) -> dict[str, Any]:
    """Delete this project's experiment pipelines whose branch no longer exists (see the module's documentation)."""
    live = branches()  # raises BranchPipelinesError: nothing is deleted
    if config.main_branch not in live:
        raise BranchPipelinesError(
            f"the main branch {config.main_branch} is not among the {len(live)} branches listed for "
            f"{_describe(config.repository)}: the listing is not trusted, nothing deleted"
        )
    wanted = {config.name_of(b).lower() for b in live if b != config.main_branch and githttp.is_valid_branch(b)}
    LOG.info("%d live branches, %d experiment pipeline names", len(live), len(wanted))
    clock = clock or _default_clock()
    outcome = Reconciled()
    for name in project_pipelines(sagemaker, config):
        try:
            pipeline = describe(sagemaker, name)
            if pipeline is None:
                continue
            if not is_experiment(sagemaker, config, pipeline):
                outcome.left.append(name)
            elif name.lower() in wanted:
                outcome.kept.append(name)
            elif remove(sagemaker, pipeline, clock)[0]:
                outcome.deleted.append(name)
        except BranchPipelinesError as exc:
            LOG.error("%s", exc)
            outcome.failed.append(str(exc))
    LOG.info("reconciled: %s", outcome)
    if outcome.failed:
        raise BranchPipelinesError(
            f"reconcile of project {config.project_name}: deleted {sorted(outcome.deleted) or 'nothing'}, but "
            + "; ".join(outcome.failed)
        )
    return outcome.as_dict()


def branch_lister(
    config: Config,
    codecommit: Any,
    credentials: ReadOnlyCredentials | None,
    opener: githttp.Opener | None = None,
) -> Callable[[], set[str]]:
    """The function listing the live branches of the configured repository."""
    repository = config.repository
    if isinstance(repository, CodeCommitRepository):
        return lambda: codecommit_branches(codecommit, repository.name)
    return lambda: connection_branches(repository, credentials, config.git_endpoint_url, opener=opener)


# --- Entry point -------------------------------------------------------------------------------------------------


def kind_of(event: object) -> str:
    """``job``, ``reference`` or ``schedule``; raises :class:`BranchPipelinesError` for any other event."""
    if isinstance(event, Mapping):
        if JOB_KEY in event:
            return "job"
        if event.get("detail-type") == CODECOMMIT_DETAIL_TYPE and event.get("source") == "aws.codecommit":
            return "reference"
        if event.get("detail-type") == SCHEDULED_DETAIL_TYPE and event.get("source") == "aws.events":
            return "schedule"
        described = f"source {event.get('source')!r}, detail-type {event.get('detail-type')!r}, keys {sorted(event)}"
    else:
        described = type(event).__name__
    raise BranchPipelinesError(f"unexpected event ({described})")


def handler(event: Mapping[str, Any], context: object) -> dict[str, Any]:
    """Lambda entry point (``branch_pipelines.handler``)."""
    kind = kind_of(event)
    session = boto3.session.Session()
    retries = BotoConfig(retries={"mode": "standard", "max_attempts": 8})
    if kind == "job":
        codepipeline = session.client("codepipeline", config=retries)
        identifier = job_id(event)
        try:
            config = Config.from_env(os.environ)
        except BranchPipelinesError as exc:
            return fail_job(codepipeline, identifier, "ConfigurationError", f"the function is misconfigured: {exc}")
        return on_job(event, config, codepipeline)
    config = Config.from_env(os.environ)
    sagemaker = session.client("sagemaker", config=retries)
    clock = Clock.from_context(context)
    if kind == "reference":
        return on_reference_event(event, config, session.client("codepipeline", config=retries), sagemaker, clock)
    credentials: ReadOnlyCredentials | None = None
    codecommit: Any = None
    if isinstance(config.repository, CodeCommitRepository):
        codecommit = session.client("codecommit", config=retries)
    else:
        try:
            found = session.get_credentials()
        except BotoCoreError as exc:
            raise BranchPipelinesError(f"no AWS credentials for {_describe(config.repository)}: {exc}") from exc
        credentials = found.get_frozen_credentials() if found is not None else None
    return reconcile(config, sagemaker, branch_lister(config, codecommit, credentials), clock)
