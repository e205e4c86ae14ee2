"""Project-teardown function: removes what a project's pipelines created, when the project is deleted.

Invoked by ``aws_lambda_invocation`` (``lifecycle_scope = "CRUD"``) in ``modules/project-teardown``. Terraform adds
a ``tf`` key to the event: ``{"action": "create" | "update" | "delete", "prev_input": ...}``. On create and update
the function does nothing; on delete (``terraform destroy`` of the project, which is how the Service Catalog
Terraform engine deletes a provisioned product) it removes, for this project only::

    {"project_name": "demo", "project_id": "p-abcdef123456",
     "model_package_group_name": "demo-p-abcdef123456-models",
     "sagemaker_pipeline_name": "demo-p-abcdef123456-pipeline",
     "experiments": {"model_package_group_name": "demo-p-abcdef123456-experiments",
                     "pipeline_role_arn": "arn:aws:iam::123456789012:role/mlops-p-abcdef123456-experiments-sagemaker"},
     "tf": {"action": "delete", ...}}

``experiments`` is optional (projects whose non-main branches run as pipelines of their own; both keys are then
required). Removed, in this order:

1. the SageMaker Pipeline the model build upserts (its running executions are stopped first, and waited for);
2. with ``experiments``: the experiment pipelines (``<project>-<branch>[-<hash>]``), found with ``ListPipelines``
   by the prefix ``<project>-``; a pipeline other than the production one is the project's only when its
   ``RoleArn`` is ``experiments.pipeline_role_arn`` (the role the experiments build creates them with) **and** it
   is tagged as below; its executions are stopped the same way;
3. the endpoints the deploy stages applied (``<project>-<stage>``), after their autoscaling policies and scalable
   targets; then it waits until they are gone;
4. the endpoint configurations and models (``<project>-<stage>-<suffix>``);
5. the model packages of the project's group, and with ``experiments`` those of the experiments group (a group that
   holds packages cannot be deleted, so Terraform's destroy of the group would fail).

A resource is removed only when its name starts with the project's name **and** it carries the tag
``sagemaker:project-id`` with the project's id (the packages: when their group does); a resource with a matching
name but another project's tag (or none), or an experiment pipeline run by another role, is left and listed in the
answer's ``left``. Without ``experiments`` no pipeline other than ``sagemaker_pipeline_name`` is looked at.
Everything already gone counts as removed, so running it twice is fine. Conflicts and throttling are retried until
the Lambda's remaining time runs short; what still cannot be removed raises :class:`TeardownError` naming every
resource at fault, so ``terraform destroy`` stops (and can be run again) instead of leaving billable resources
behind.

Only the standard library and boto3 are imported: this file is the whole Lambda package.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

# The function's version (`mlops-templates package` reads it): bump it with every change to this file.
__version__ = "1.1.0"

LOG = logging.getLogger(__name__)
LOG.setLevel(logging.INFO)

PROJECT_TAG = "sagemaker:project-id"
REQUIRED_KEYS = ("project_name", "project_id", "model_package_group_name", "sagemaker_pipeline_name")
EXPERIMENTS_KEYS = ("model_package_group_name", "pipeline_role_arn")
RUNNING = frozenset({"Executing", "Stopping"})
RETRIED = frozenset({"ConcurrentUpdateException", "ConflictException", "ResourceInUse", "ThrottlingException"})
NOT_FOUND_CODES = frozenset({"ObjectNotFoundException", "ResourceNotFound", "ResourceNotFoundException"})
NOT_FOUND_TEXT = ("could not find", "does not exist", "not found")
BUSY_TEXT = ("in-progress", "in progress", "status")  # e.g. "Cannot update in-progress endpoint"
MARGIN_SECONDS = 20.0
POLL_SECONDS = 10.0


class TeardownError(Exception):
    """The project could not be removed completely; the message names every resource at fault."""


def _missing(event: Mapping[str, Any], keys: tuple[str, ...]) -> list[str]:
    return [key for key in keys if not isinstance(event.get(key), str) or not event[key]]


@dataclass(frozen=True)
class Experiments:
    """The project's experiment branches: their model package group and the role their pipelines run as."""

    model_package_group_name: str
    pipeline_role_arn: str

    @classmethod
    def from_event(cls, value: object) -> Experiments | None:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            keys = " and ".join(EXPERIMENTS_KEYS)
            raise TeardownError(f"the event's experiments must be an object with {keys}, not {type(value).__name__}")
        missing = _missing(value, EXPERIMENTS_KEYS)
        if missing:
            raise TeardownError(f"the event lacks {', '.join(f'experiments.{key}' for key in missing)}")
        return cls(value["model_package_group_name"], value["pipeline_role_arn"])


@dataclass(frozen=True)
class Project:
    """The project being deleted, as the event names it."""

    name: str
    project_id: str
    model_package_group_name: str
    pipeline_name: str
    experiments: Experiments | None = None

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> Project:
        missing = _missing(event, REQUIRED_KEYS)
        if missing:
            raise TeardownError(f"the event lacks {', '.join(missing)}")
        return cls(
            event["project_name"],
            event["project_id"],
            event["model_package_group_name"],
            event["sagemaker_pipeline_name"],
            Experiments.from_event(event.get("experiments")),
        )

    @property
    def model_package_groups(self) -> list[str]:
        """The groups whose packages are deleted: the production group, then the experiments group."""
        experiments = [self.experiments.model_package_group_name] if self.experiments else []
        return [self.model_package_group_name, *experiments]

    def owns_name(self, name: str) -> bool:
        """SageMaker names compare case-insensitively (ARNs are lowercased)."""
        return name.lower().startswith(f"{self.name.lower()}-")


@dataclass
class Clock:
    """Time left before the Lambda's deadline; injectable for tests."""

    deadline: float
    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep

    def left(self) -> float:
        return self.deadline - self.now()

    def wait(self) -> bool:
        """Sleep one poll interval; False when no time is left for it."""
        if self.left() < POLL_SECONDS:
            return False
        self.sleep(POLL_SECONDS)
        return True


@dataclass
class Outcome:
    """What the teardown removed, left alone, and could not remove."""

    removed: dict[str, list[str]] = field(default_factory=dict)
    left: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def add(self, kind: str, name: str) -> None:
        self.removed.setdefault(kind, []).append(name)

    def as_dict(self, status: str) -> dict[str, Any]:
        return {"status": status, "removed": self.removed, "left": self.left}


def _code(err: ClientError) -> str:
    return str(err.response.get("Error", {}).get("Code", "Unknown"))


def is_not_found(err: ClientError) -> bool:
    """SageMaker answers a missing resource with ValidationException "Could not find ..."."""
    message = str(err.response.get("Error", {}).get("Message", "")).lower()
    return _code(err) in NOT_FOUND_CODES or (
        _code(err) == "ValidationException" and any(text in message for text in NOT_FOUND_TEXT)
    )


def is_busy(err: ClientError) -> bool:
    """A conflict that clears by itself: throttling, a resource in use, or one still changing state."""
    message = str(err.response.get("Error", {}).get("Message", "")).lower()
    return _code(err) in RETRIED or (_code(err) == "ValidationException" and any(text in message for text in BUSY_TEXT))


def _call(clock: Clock, what: str, call: Callable[..., object], **kwargs: Any) -> bool:
    """Run one delete/stop call, retrying conflicts until the deadline; False when the resource was already gone."""
    while True:
        try:
            call(**kwargs)
            return True
        except ClientError as err:
            if is_not_found(err):
                return False
            if not is_busy(err) or not clock.wait():
                raise TeardownError(f"{what}: {_code(err)}: {err}") from err
            LOG.info("%s: %s, retrying", what, _code(err))


def _pages(call: Callable[..., dict[str, Any]], key: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
    while True:
        page = call(**kwargs)
        yield from page.get(key, [])
        if not page.get("NextToken"):
            return
        kwargs["NextToken"] = page["NextToken"]


def _tagged(sagemaker: Any, project: Project, arn: str) -> bool:
    tags = list(_pages(sagemaker.list_tags, "Tags", ResourceArn=arn))
    return any(t["Key"] == PROJECT_TAG and t["Value"] == project.project_id for t in tags)


def _owned(sagemaker: Any, project: Project, kind: str, name: str, arn: str, outcome: Outcome) -> bool:
    """Is this resource the project's (name and tag)? A foreign one is logged and listed in ``left``."""
    if not project.owns_name(name):
        return False
    if _tagged(sagemaker, project, arn):
        return True
    LOG.warning(
        "%s %s is named like project %s but not tagged %s=%s: left",
        kind,
        name,
        project.name,
        PROJECT_TAG,
        project.project_id,
    )
    outcome.left.append(f"{kind} {name}")
    return False


def remove_pipeline(
    sagemaker: Any,
    project: Project,
    clock: Clock,
    outcome: Outcome,
    name: str | None = None,
    role_arn: str | None = None,
) -> None:
    """Stop a pipeline's running executions, wait for them, and delete it: the production pipeline by default, or
    the pipeline ``name``, which must then also run as ``role_arn`` (an experiment pipeline)."""
    name = name or project.pipeline_name
    try:
        described = sagemaker.describe_pipeline(PipelineName=name)
    except ClientError as err:
        if is_not_found(err):
            return
        raise TeardownError(f"pipeline {name}: {_code(err)}: {err}") from err
    if role_arn is not None and described.get("RoleArn") != role_arn:
        LOG.warning("pipeline %s runs as %s, not %s: left", name, described.get("RoleArn"), role_arn)
        outcome.left.append(f"pipeline {name}")
        return
    if not _owned(sagemaker, project, "pipeline", name, described["PipelineArn"], outcome):
        return
    while True:
        running = [
            e
            for e in _pages(sagemaker.list_pipeline_executions, "PipelineExecutionSummaries", PipelineName=name)
            if e["PipelineExecutionStatus"] in RUNNING
        ]
        if not running:
            break
        for execution in running:
            if execution["PipelineExecutionStatus"] == "Executing":
                execution_arn = execution["PipelineExecutionArn"]
                what = f"pipeline execution {execution_arn}"
                _call(clock, what, sagemaker.stop_pipeline_execution, PipelineExecutionArn=execution_arn)
                outcome.add("pipeline_executions_stopped", execution_arn)
        if not clock.wait():
            names = ", ".join(e["PipelineExecutionArn"] for e in running)
            raise TeardownError(f"pipeline {name}: executions still running: {names}")
    if _call(clock, f"pipeline {name}", sagemaker.delete_pipeline, PipelineName=name):
        outcome.add("pipelines", name)


def remove_experiment_pipelines(sagemaker: Any, project: Project, clock: Clock, outcome: Outcome) -> None:
    """Remove the experiment pipelines (``<project>-*`` but the production one) that run as the experiments role
    and carry the project's tag; the others named like the project are left."""
    if project.experiments is None:
        return
    prefix = f"{project.name}-"
    for summary in list(_pages(sagemaker.list_pipelines, "PipelineSummaries", PipelineNamePrefix=prefix)):
        name = summary["PipelineName"]
        if name.lower() == project.pipeline_name.lower() or not project.owns_name(name):
            continue
        try:
            remove_pipeline(sagemaker, project, clock, outcome, name, project.experiments.pipeline_role_arn)
        except ClientError as err:
            outcome.failed.append(f"pipeline {name}: {_code(err)}: {err}")
        except TeardownError as err:
            outcome.failed.append(str(err))


def _remove_autoscaling(autoscaling: Any, clock: Clock, endpoint: str, variants: list[str], outcome: Outcome) -> None:
    for variant in variants:
        resource_id = f"endpoint/{endpoint}/variant/{variant}"
        scope = {"ServiceNamespace": "sagemaker", "ResourceId": resource_id}
        for policy in _pages(autoscaling.describe_scaling_policies, "ScalingPolicies", **scope):
            args = {**scope, "PolicyName": policy["PolicyName"], "ScalableDimension": policy["ScalableDimension"]}
            what = f"scaling policy {policy['PolicyName']} of {resource_id}"
            if _call(clock, what, autoscaling.delete_scaling_policy, **args):
                outcome.add("scaling_policies", f"{resource_id}/{policy['PolicyName']}")
        targets = _pages(
            autoscaling.describe_scalable_targets,
            "ScalableTargets",
            ServiceNamespace="sagemaker",
            ResourceIds=[resource_id],
        )
        for target in targets:
            args = {**scope, "ScalableDimension": target["ScalableDimension"]}
            if _call(clock, f"scalable target {resource_id}", autoscaling.deregister_scalable_target, **args):
                outcome.add("scalable_targets", resource_id)


def remove_endpoints(sagemaker: Any, autoscaling: Any, project: Project, clock: Clock, outcome: Outcome) -> None:
    """Delete the project's endpoints (autoscaling first) and wait until they are gone."""
    deleting: list[str] = []
    for summary in list(_pages(sagemaker.list_endpoints, "Endpoints", NameContains=project.name)):
        name = summary["EndpointName"]
        if not _owned(sagemaker, project, "endpoint", name, summary["EndpointArn"], outcome):
            continue
        try:
            variants = [
                v["VariantName"] for v in sagemaker.describe_endpoint(EndpointName=name).get("ProductionVariants", [])
            ]
            _remove_autoscaling(autoscaling, clock, name, variants, outcome)
            if _call(clock, f"endpoint {name}", sagemaker.delete_endpoint, EndpointName=name):
                outcome.add("endpoints", name)
            deleting.append(name)
        except (ClientError, TeardownError) as err:
            outcome.failed.append(f"endpoint {name}: {err}")
    while deleting:
        deleting = [name for name in deleting if _exists(sagemaker, name)]
        if deleting and not clock.wait():
            outcome.failed += [f"endpoint {name}: still deleting at the deadline" for name in deleting]
            return


def _exists(sagemaker: Any, endpoint: str) -> bool:
    try:
        status = sagemaker.describe_endpoint(EndpointName=endpoint)["EndpointStatus"]
    except ClientError as err:
        if is_not_found(err):
            return False
        raise
    if status == "Failed":
        raise TeardownError(f"endpoint {endpoint}: deletion failed (status Failed)")
    return True


def remove_named(sagemaker: Any, project: Project, clock: Clock, outcome: Outcome) -> None:
    """Delete the project's endpoint configurations, then its models."""
    kinds = (
        (
            "endpoint config",
            "endpoint_configs",
            sagemaker.list_endpoint_configs,
            "EndpointConfig",
            sagemaker.delete_endpoint_config,
        ),
        ("model", "models", sagemaker.list_models, "Model", sagemaker.delete_model),
    )
    for label, kind, lister, prefix, deleter in kinds:
        for summary in list(_pages(lister, f"{prefix}s", NameContains=project.name)):
            name = summary[f"{prefix}Name"]
            if not _owned(sagemaker, project, label, name, summary[f"{prefix}Arn"], outcome):
                continue
            try:
                if _call(clock, f"{label} {name}", deleter, **{f"{prefix}Name": name}):
                    outcome.add(kind, name)
            except TeardownError as err:
                outcome.failed.append(str(err))


def remove_model_packages(
    sagemaker: Any, project: Project, clock: Clock, outcome: Outcome, group: str | None = None
) -> None:
    """Delete every model package of one of the project's groups (the production group by default; the groups
    themselves are Terraform's)."""
    group = group or project.model_package_group_name
    try:
        arn = sagemaker.describe_model_package_group(ModelPackageGroupName=group)["ModelPackageGroupArn"]
    except ClientError as err:
        if is_not_found(err):
            return
        raise TeardownError(f"model package group {group}: {_code(err)}: {err}") from err
    if not _owned(sagemaker, project, "model package group", group, arn, outcome):
        return
    for package in list(_pages(sagemaker.list_model_packages, "ModelPackageSummaryList", ModelPackageGroupName=group)):
        package_arn = package["ModelPackageArn"]
        try:
            if _call(
                clock,
                f"model package {package_arn}",
                sagemaker.delete_model_package,
                ModelPackageName=package_arn,
            ):
                outcome.add("model_packages", package_arn)
        except TeardownError as err:
            outcome.failed.append(str(err))


def teardown(sagemaker: Any, autoscaling: Any, event: Mapping[str, Any], clock: Clock) -> dict[str, Any]:
    """Do nothing unless Terraform deletes the invocation; then remove the project's pipeline-made resources."""
    action = (event.get("tf") or {}).get("action")
    if action != "delete":
        LOG.info("lifecycle action %s: nothing to do", action)
        return {"status": "skipped", "action": action}
    project = Project.from_event(event)
    outcome = Outcome()
    steps: list[tuple[str, Callable[[], None]]] = [
        (f"pipeline {project.pipeline_name}", lambda: remove_pipeline(sagemaker, project, clock, outcome)),
        ("experiment pipelines", lambda: remove_experiment_pipelines(sagemaker, project, clock, outcome)),
        ("endpoints", lambda: remove_endpoints(sagemaker, autoscaling, project, clock, outcome)),
        ("endpoint configurations and models", lambda: remove_named(sagemaker, project, clock, outcome)),
    ]
    steps += [
        (f"model packages of {group}", partial(remove_model_packages, sagemaker, project, clock, outcome, group))
        for group in project.model_package_groups
    ]
    for what, step in steps:
        try:
            step()
        except TeardownError as err:
            outcome.failed.append(str(err))
        except ClientError as err:
            outcome.failed.append(f"{what}: {_code(err)}: {err}")
    if outcome.failed:
        raise TeardownError(
            f"project {project.name} ({project.project_id}) not fully removed: " + "; ".join(outcome.failed)
        )
    LOG.info("project %s (%s) removed: %s", project.name, project.project_id, outcome.removed)
    return outcome.as_dict("deleted")


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point (``project_teardown.handler``)."""
    remaining = context.get_remaining_time_in_millis() / 1000.0 if context is not None else 600.0
    clock = Clock(deadline=time.monotonic() + remaining - MARGIN_SECONDS)
    config = Config(retries={"mode": "standard", "max_attempts": 8})
    return teardown(
        boto3.client("sagemaker", config=config), boto3.client("application-autoscaling", config=config), event, clock
    )
