"""boto3 sessions and clients from the common command-line options; the only place that creates them."""

from __future__ import annotations

import argparse
import os
from typing import Any

import boto3
import botocore.config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    CredentialRetrievalError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
)

from mlops_templates.errors import AwsError, UsageError

CATALOG_BUCKET_PARAMETER = "/mlops-templates/catalog-bucket-name"
CREDENTIALS_HINT = (
    "set AWS_PROFILE (or pass --profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
    "or run where an instance or task role is available"
)
REGION_HINT = "pass --region or set AWS_REGION"
# Error codes that mean the credentials themselves are the problem.
CREDENTIAL_ERROR_CODES = frozenset(
    {
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidAccessKeyId",
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "UnrecognizedClientException",
        "RequestExpired",
    }
)
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
    """A session for ``--profile``/``--region``; the region falls back to AWS_REGION, then boto3's own chain.

    boto3 reads only AWS_DEFAULT_REGION (and the profile's region); the other AWS SDKs and the CLI v2 read
    AWS_REGION first, and so does this tool.
    """
    try:
        return boto3.Session(profile_name=profile, region_name=region or os.environ.get("AWS_REGION") or None)
    except BotoCoreError as err:
        raise UsageError(f"AWS profile {profile!r}: {err}") from err


def client(sess: boto3.Session, service: str, endpoint_url: str | None = None) -> Any:
    if sess.region_name is None:
        raise AwsError(f"no AWS region: {REGION_HINT} (or AWS_DEFAULT_REGION, or a region in the profile)")
    return sess.client(service, endpoint_url=endpoint_url, config=CLIENT_CONFIG)  # type: ignore[call-overload]


def as_error(err: BotoCoreError | ClientError) -> AwsError:
    """An AWS error that names what failed and what to set, for botocore's own exceptions."""
    if isinstance(err, NoCredentialsError | PartialCredentialsError | CredentialRetrievalError):
        return AwsError(f"no AWS credentials ({err}): {CREDENTIALS_HINT}")
    if isinstance(err, NoRegionError):
        return AwsError(f"no AWS region: {REGION_HINT}")
    if isinstance(err, EndpointConnectionError):
        return AwsError(
            f"cannot reach {err.kwargs.get('endpoint_url', 'the AWS endpoint')}: check the network, "
            "--endpoint-url / AWS_ENDPOINT_URL and --region"
        )
    if isinstance(err, ClientError):
        code = error_code(err)
        operation = getattr(err, "operation_name", "") or "an AWS call"
        message = str(err.response.get("Error", {}).get("Message", "")) or str(err)
        hint = f": the credentials are not valid; {CREDENTIALS_HINT}" if code in CREDENTIAL_ERROR_CODES else ""
        return AwsError(f"{operation} failed: {code}: {message}{hint}")
    return AwsError(f"AWS: {err}")


def catalog_bucket_name(ssm: Any, parameter: str = CATALOG_BUCKET_PARAMETER) -> str:
    """The catalog bucket's name from the SSM parameter that catalog/ writes."""
    try:
        return str(ssm.get_parameter(Name=parameter)["Parameter"]["Value"])
    except ClientError as err:
        raise AwsError(
            f"SSM parameter {parameter} cannot be read ({error_code(err)}): pass --bucket, or apply catalog/ first"
        ) from err
