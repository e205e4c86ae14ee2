"""Upsert the project's SageMaker Pipeline, start it, and wait for it (the model-build CodeBuild entry point).

    python -m pipelines.run_pipeline --region eu-west-1 --role-arn ... --pipeline-name ... \\
        --model-package-group-name ... --default-bucket ... [--kms-key-arn ...] \\
        [--project-name ... --project-id ...] [--no-wait]

Exits 0 when the execution succeeds, 1 with the failing step's reason when it fails, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from typing import Any

import boto3

from pipelines.abalone.pipeline import get_pipeline, session

LOG = logging.getLogger("run_pipeline")
TERMINAL = {"Succeeded", "Failed", "Stopped"}


class ExecutionFailed(RuntimeError):
    """The pipeline execution ended in a state other than Succeeded."""


def wait(sagemaker_client: Any, execution_arn: str, poll_seconds: float = 30, timeout_seconds: float = 6 * 3600) -> str:
    """Poll an execution until it ends; raise ExecutionFailed with the failing steps' reasons."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        status = sagemaker_client.describe_pipeline_execution(PipelineExecutionArn=execution_arn)[
            "PipelineExecutionStatus"
        ]
        if status in TERMINAL:
            break
        if time.monotonic() > deadline:
            raise ExecutionFailed(f"{execution_arn} still {status} after {timeout_seconds:.0f}s")
        LOG.info("execution %s: %s", execution_arn.rsplit("/", 1)[-1], status)
        time.sleep(poll_seconds)
    if status != "Succeeded":
        steps = sagemaker_client.list_pipeline_execution_steps(PipelineExecutionArn=execution_arn)[
            "PipelineExecutionSteps"
        ]
        reasons = [
            f"{s['StepName']}: {s.get('FailureReason', s['StepStatus'])}"
            for s in steps
            if s["StepStatus"] != "Succeeded"
        ]
        raise ExecutionFailed(f"pipeline execution {status}: " + ("; ".join(reasons) or "no step reported a reason"))
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--region", required=True)
    parser.add_argument("--role-arn", required=True)
    parser.add_argument("--pipeline-name", required=True)
    parser.add_argument("--model-package-group-name", required=True)
    parser.add_argument("--default-bucket", required=True)
    parser.add_argument("--kms-key-arn")
    parser.add_argument("--project-name")
    parser.add_argument("--project-id")
    parser.add_argument("--parameters", default="{}", help="JSON object of pipeline parameters for this execution")
    parser.add_argument("--no-wait", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    boto_session = boto3.Session(region_name=args.region)
    pipeline = get_pipeline(
        region=args.region,
        role_arn=args.role_arn,
        pipeline_name=args.pipeline_name,
        model_package_group_name=args.model_package_group_name,
        default_bucket=args.default_bucket,
        kms_key_arn=args.kms_key_arn,
        pipeline_session=session(args.region, args.default_bucket, boto_session),
    )
    tags = [
        {"Key": k, "Value": v}
        for k, v in (("sagemaker:project-name", args.project_name), ("sagemaker:project-id", args.project_id))
        if v
    ]
    pipeline.upsert(role_arn=args.role_arn, tags=tags)
    execution = pipeline.start(parameters=json.loads(args.parameters))
    LOG.info("started %s", execution.arn)
    if args.no_wait:
        return 0
    try:
        wait(boto_session.client("sagemaker"), execution.arn)
    except ExecutionFailed as err:
        LOG.error("%s", err)
        return 1
    LOG.info("pipeline execution succeeded")
    return 0


if __name__ == "__main__":
    sys.exit(main())
