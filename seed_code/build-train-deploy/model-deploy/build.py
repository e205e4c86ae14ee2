"""Deploy build step: pick the model package to deploy and write one Terraform var file per stage.

Reads the project's settings from the environment CodeBuild gets (SAGEMAKER_PROJECT_NAME,
SAGEMAKER_PROJECT_ID, MODEL_PACKAGE_GROUP_NAME, ARTIFACT_BUCKET, KMS_KEY_ARN, SAGEMAKER_EXECUTION_ROLE_ARN,
DEPLOY_STAGES_JSON) and writes ``<out>/<stage>.tfvars.json`` for every stage plus ``<out>/deployment.json``.

The package deployed is the latest Approved one. When the newest package of the group is Rejected and it is the
one the first stage serves (its endpoint's ``mlops:model-package-arn`` tag), this is a rollback to the
previous Approved package, and the summary says so. With no Approved package it fails with a clear message.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

LOG = logging.getLogger("build")
DEPLOYED_TAG = "mlops:model-package-arn"
ENDPOINT_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,53}$")


class DeployError(Exception):
    """A reason not to deploy, with a message meant for the person reading the build log."""


@dataclass(frozen=True)
class Stage:
    """One deployment stage, as the product passes it in DEPLOY_STAGES_JSON."""

    name: str
    instance_type: str = "ml.m5.large"
    instance_count: int = 1
    serverless: dict[str, int] | None = None
    autoscaling: dict[str, int] | None = None
    requires_approval: bool = True


@dataclass(frozen=True)
class Settings:
    """What the build knows about its project."""

    project_name: str
    project_id: str
    model_package_group_name: str
    artifact_bucket: str
    kms_key_arn: str
    execution_role_arn: str
    stages: list[Stage]

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        names = {
            "project_name": "SAGEMAKER_PROJECT_NAME",
            "project_id": "SAGEMAKER_PROJECT_ID",
            "model_package_group_name": "MODEL_PACKAGE_GROUP_NAME",
            "artifact_bucket": "ARTIFACT_BUCKET",
            "kms_key_arn": "KMS_KEY_ARN",
            "execution_role_arn": "SAGEMAKER_EXECUTION_ROLE_ARN",
        }
        missing = [var for var in [*names.values(), "DEPLOY_STAGES_JSON"] if not env.get(var)]
        if missing:
            raise DeployError(f"missing environment variables: {', '.join(missing)}")
        try:
            raw_stages = json.loads(env["DEPLOY_STAGES_JSON"])
            stages = [Stage(**s) for s in raw_stages]
        except (ValueError, TypeError) as err:
            raise DeployError(f"DEPLOY_STAGES_JSON is not a list of stages: {err}") from err
        if not stages:
            raise DeployError("DEPLOY_STAGES_JSON lists no stage")
        return cls(stages=stages, **{field_: env[var] for field_, var in names.items()})


@dataclass
class Decision:
    """What will be deployed, and why."""

    model_package_arn: str
    model_package_version: int
    rollback: bool = False
    rolled_back_from: str | None = None
    stages: list[str] = field(default_factory=list)


def list_packages(sagemaker_client: Any, group: str) -> list[dict[str, Any]]:
    """Every package of the group, newest first."""
    packages: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"ModelPackageGroupName": group, "SortBy": "CreationTime", "SortOrder": "Descending"}
    try:
        while True:
            page = sagemaker_client.list_model_packages(**kwargs)
            packages += page["ModelPackageSummaryList"]
            if not page.get("NextToken"):
                break
            kwargs["NextToken"] = page["NextToken"]
    except ClientError as err:
        raise DeployError(f"cannot list the model packages of group {group}: {err}") from err
    return sorted(packages, key=lambda p: p["CreationTime"], reverse=True)


def deployed_package(sagemaker_client: Any, endpoint_name: str) -> str | None:
    """The package the endpoint serves (its tag), or None when there is no endpoint yet."""
    try:
        endpoint = sagemaker_client.describe_endpoint(EndpointName=endpoint_name)
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") in {"ValidationException", "ResourceNotFound"}:
            return None
        raise
    tags = sagemaker_client.list_tags(ResourceArn=endpoint["EndpointArn"]).get("Tags", [])
    return next((t["Value"] for t in tags if t["Key"] == DEPLOYED_TAG), None)


def decide(sagemaker_client: Any, settings: Settings) -> Decision:
    """Choose the package to deploy (see the module docstring)."""
    packages = list_packages(sagemaker_client, settings.model_package_group_name)
    approved = [p for p in packages if p["ModelApprovalStatus"] == "Approved"]
    if not approved:
        statuses = ", ".join(f"v{p.get('ModelPackageVersion', '?')} {p['ModelApprovalStatus']}" for p in packages)
        raise DeployError(
            f"no Approved model package in group {settings.model_package_group_name} "
            f"({statuses or 'the group is empty'}): approve one in SageMaker Studio (Models > Registered models)"
        )
    chosen = approved[0]
    decision = Decision(
        model_package_arn=chosen["ModelPackageArn"],
        model_package_version=int(chosen.get("ModelPackageVersion", 0)),
        stages=[s.name for s in settings.stages],
    )
    newest = packages[0]
    if newest["ModelApprovalStatus"] == "Rejected":
        current = deployed_package(sagemaker_client, endpoint_name(settings, settings.stages[0]))
        if current == newest["ModelPackageArn"]:
            decision.rollback = True
            decision.rolled_back_from = current
    return decision


def endpoint_name(settings: Settings, stage: Stage) -> str:
    """<project>-<stage>, checked against SageMaker's endpoint naming rules (with room for suffixes)."""
    name = f"{settings.project_name}-{stage.name}"
    if not ENDPOINT_NAME.match(name) or len(name) > 54:
        raise DeployError(f"endpoint name {name!r} is not valid: 1-54 letters, digits and hyphens")
    return name


def stage_vars(settings: Settings, decision: Decision, stage: Stage) -> dict[str, Any]:
    """The variables of the endpoint Terraform config (endpoint/variables.tf) for one stage."""
    return {
        "endpoint_name": endpoint_name(settings, stage),
        "model_package_arn": decision.model_package_arn,
        "execution_role_arn": settings.execution_role_arn,
        "kms_key_arn": settings.kms_key_arn,
        "data_capture_s3_uri": None
        if stage.serverless
        else f"s3://{settings.artifact_bucket}/data-capture/{stage.name}",
        "instance_type": stage.instance_type,
        "instance_count": stage.instance_count,
        "serverless": stage.serverless,
        "autoscaling": stage.autoscaling,
        "tags": {
            "sagemaker:project-name": settings.project_name,
            "sagemaker:project-id": settings.project_id,
            "mlops:stage": stage.name,
        },
    }


def write(settings: Settings, decision: Decision, out: Path) -> list[Path]:
    """Write the per-stage var files and deployment.json; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stage in settings.stages:
        path = out / f"{stage.name}.tfvars.json"
        path.write_text(json.dumps(stage_vars(settings, decision, stage), indent=2, sort_keys=True) + "\n")
        written.append(path)
    summary = out / "deployment.json"
    summary.write_text(json.dumps(asdict(decision), indent=2, sort_keys=True) + "\n")
    return [*written, summary]


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None, sagemaker_client: Any = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output-dir", type=Path, default=Path("out"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        settings = Settings.from_env(os.environ if env is None else env)
        client = sagemaker_client or boto3.client("sagemaker")
        decision = decide(client, settings)
        write(settings, decision, args.output_dir)
    except DeployError as err:
        LOG.error("cannot deploy: %s", err)
        return 1
    if decision.rollback:
        LOG.warning("ROLLBACK: %s was rejected; deploying %s", decision.rolled_back_from, decision.model_package_arn)
    LOG.info(
        "deploying %s (version %d) to %s",
        decision.model_package_arn,
        decision.model_package_version,
        ", ".join(decision.stages),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
