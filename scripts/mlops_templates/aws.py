"""boto3 sessions and clients from the common command-line options; the only place that creates them."""

from __future__ import annotations

import argparse
from typing import Any

import boto3
import botocore.config
from botocore.exceptions import BotoCoreError, ClientError

from mlops_templates.errors import AwsError, UsageError

CATALOG_BUCKET_PARAMETER = "/mlops-templates/catalog-bucket-name"
CLIENT_CONFIG = botocore.config.Config(
    retries={"mode": "standard", "max_attempts": 5}, user_agent_extra="mlops-templates"
)


def error_code(err: ClientError) -> str:
    """The service's error code of a ClientError (e.g. NoSuchKey, ThrottlingException), "" when absent."""
    return str(err.response.get("Error", {}).get("Code", ""))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The AWS options every command that talks to AWS takes."""
    parser.add_argument("--profile", help="AWS profile (default: the usual boto3 chain)")
    parser.add_argument("--region", help="AWS region (default: from the profile or AWS_REGION)")
    parser.add_argument("--endpoint-url", help="send every AWS call to this endpoint (e.g. a local emulator)")


def session(profile: str | None = None, region: str | None = None) -> boto3.Session:
    try:
        return boto3.Session(profile_name=profile, region_name=region)
    except BotoCoreError as err:
        raise UsageError(f"AWS profile {profile!r}: {err}") from err


def client(sess: boto3.Session, service: str, endpoint_url: str | None = None) -> Any:
    if sess.region_name is None:
        raise UsageError("no AWS region: pass --region or set AWS_REGION")
    return sess.client(service, endpoint_url=endpoint_url, config=CLIENT_CONFIG)  # type: ignore[call-overload]


def catalog_bucket_name(ssm: Any, parameter: str = CATALOG_BUCKET_PARAMETER) -> str:
    """The catalog bucket's name from the SSM parameter that catalog/ writes."""
    try:
        return str(ssm.get_parameter(Name=parameter)["Parameter"]["Value"])
    except ClientError as err:
        raise AwsError(
            f"SSM parameter {parameter} cannot be read ({error_code(err)}): pass --bucket, or apply catalog/ first"
        ) from err
