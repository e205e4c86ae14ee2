"""`launch`, `status` and `delete-project`: SageMaker projects created from a published product.

A SageMaker project is a Service Catalog provisioned product that SageMaker creates for us: ``CreateProject`` with
the product id, provisioning artifact (version) id and launch path, then the Terraform engine provisions it. These
commands are the smoke test of a published catalog against a real account.

They use only the end-user Service Catalog APIs (SearchProducts, DescribeProduct, ListLaunchPaths,
DescribeProvisioningParameters), which a data scientist's role has: the ``...AsAdmin`` calls are the platform team's.
End users see active versions only; a product in several portfolios has one launch path per portfolio.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from mlops_templates.aws import error_code
from mlops_templates.errors import AwsError, CheckFailed, UsageError
from mlops_templates.packaging import semver_key

PROJECT_NAME_RE = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$")
DONE = frozenset({"CreateCompleted", "UpdateCompleted", "DeleteCompleted"})
FAILED = frozenset({"CreateFailed", "UpdateFailed", "DeleteFailed"})
# Provisioning parameters SageMaker fills in itself from CreateProject.
SAGEMAKER_PARAMETERS = frozenset({"SageMakerProjectName", "SageMakerProjectId"})

Progress = Callable[[str, str], None]


@dataclass(frozen=True)
class ProductVersion:
    """A product, one of its versions (provisioning artifacts) and the launch path to provision it through.

    ``parameter_keys`` are the provisioning parameters a user may set (without the ones SageMaker sets); None when
    not known, which skips the check in :func:`launch`.
    """

    product_id: str
    product_name: str
    artifact_id: str
    version: str
    path_id: str | None = None
    parameter_keys: frozenset[str] | None = None


@dataclass
class ProjectStatus:
    """What DescribeProject and the provisioned product's outputs say about a project."""

    name: str
    project_id: str
    status: str
    message: str = ""
    provisioned_product_id: str | None = None
    outputs: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "project_id": self.project_id,
            "status": self.status,
            "message": self.message,
            "provisioned_product_id": self.provisioned_product_id,
            "outputs": self.outputs,
        }


def parse_pairs(items: list[str] | None, what: str) -> dict[str, str]:
    """``KEY=VALUE`` arguments as a dict; a clear error for anything else."""
    pairs: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"{what} {item!r} must look like KEY=VALUE")
        pairs[key] = value
    return pairs


def validate_project_name(name: str) -> None:
    if not PROJECT_NAME_RE.match(name):
        raise UsageError(
            f"project name {name!r} is not valid for SageMaker: 1-32 letters, digits and hyphens, "
            "starting and ending with a letter or digit"
        )


def _version_order(name: str) -> tuple[int, tuple[tuple[int, ...], int, str]]:
    """Sort key of a version name: semantic versions by their order, above names that are not semantic versions."""
    try:
        return 1, semver_key(name)
    except ValueError:
        return 0, ((), 0, name)


def _product_id(servicecatalog: Any, product: str) -> str:
    """The id of the product named ``product`` among those the caller can launch (SearchProducts, exact name)."""
    if product.startswith("prod-"):
        return product
    ids: set[str] = set()
    kwargs: dict[str, Any] = {"Filters": {"FullTextSearch": [product]}}
    while True:
        page = servicecatalog.search_products(**kwargs)
        ids.update(str(v["ProductId"]) for v in page.get("ProductViewSummaries", []) if v.get("Name") == product)
        if not page.get("NextPageToken"):
            break
        kwargs["PageToken"] = page["NextPageToken"]
    if not ids:
        raise UsageError(
            f"no Service Catalog product named {product!r} that you can launch in this account and region "
            "(is your role a principal of a portfolio holding it?)"
        )
    if len(ids) > 1:
        raise UsageError(f"several products are named {product!r} ({', '.join(sorted(ids))}): pass its id instead")
    return ids.pop()


def _launch_path(servicecatalog: Any, product: str, product_id: str, path_id: str | None) -> str:
    paths = [
        summary
        for page in servicecatalog.get_paginator("list_launch_paths").paginate(ProductId=product_id)
        for summary in page.get("LaunchPathSummaries", [])
    ]
    listed = ", ".join(sorted(f"{p['Id']} ({p.get('Name', '')})" for p in paths))
    if path_id is not None:
        if not any(p["Id"] == path_id for p in paths):
            raise UsageError(
                f"product {product} has no launch path {path_id!r} for you (launch paths: {listed or 'none'})"
            )
        return path_id
    if not paths:
        raise UsageError(f"you have no launch path to product {product}: ask for access to a portfolio holding it")
    if len(paths) > 1:
        raise UsageError(
            f"product {product} has {len(paths)} launch paths (one per portfolio): choose one with --path-id: {listed}"
        )
    return str(paths[0]["Id"])


def find_product_version(
    servicecatalog: Any, product: str, version: str | None, path_id: str | None = None
) -> ProductVersion:
    """Resolve a product (id ``prod-...`` or name), a version name (default: the highest semantic version among the
    active DEFAULT ones), the launch path (``path_id``, required when there are several) and the version's
    provisioning parameters, with the end-user APIs."""
    try:
        product_id = _product_id(servicecatalog, product)
        try:
            described = servicecatalog.describe_product(Id=product_id)
        except ClientError as err:
            if error_code(err) == "ResourceNotFoundException":
                raise UsageError(f"no Service Catalog product {product} that you can launch: {err}") from err
            raise
        artifacts = described.get("ProvisioningArtifacts", [])
        name = str(described.get("ProductViewSummary", {}).get("Name", product))
        path = _launch_path(servicecatalog, product, product_id, path_id)
        if version is not None:
            chosen = [a for a in artifacts if a.get("Name") == version]
            if not chosen:
                names = ", ".join(sorted(str(a.get("Name")) for a in artifacts)) or "none"
                raise UsageError(
                    f"product {product} has no version {version!r} you can launch (versions: {names}; "
                    "inactive versions are not listed)"
                )
            artifact = chosen[0]
        else:
            defaults = [a for a in artifacts if a.get("Guidance", "DEFAULT") == "DEFAULT"]
            if not defaults:
                raise UsageError(f"product {product} has no active DEFAULT version to launch")
            artifact = max(defaults, key=lambda a: _version_order(str(a.get("Name", ""))))
        parameters = servicecatalog.describe_provisioning_parameters(
            ProductId=product_id, ProvisioningArtifactId=str(artifact["Id"]), PathId=path
        ).get("ProvisioningArtifactParameters", [])
    except ClientError as err:
        raise AwsError(f"Service Catalog product {product}: {error_code(err)}: {err}") from err
    keys = frozenset(str(p["ParameterKey"]) for p in parameters) - SAGEMAKER_PARAMETERS
    return ProductVersion(product_id, name, str(artifact["Id"]), str(artifact["Name"]), path, keys)


def check_parameters(product: ProductVersion, parameters: Mapping[str, str]) -> None:
    """Refuse parameter keys the product version does not take, naming the valid ones."""
    reserved = sorted(SAGEMAKER_PARAMETERS & parameters.keys())
    if reserved:
        raise UsageError(f"{', '.join(reserved)} is set by SageMaker from the project; do not pass it with --param")
    if product.parameter_keys is None:
        return
    unknown = sorted(parameters.keys() - product.parameter_keys)
    if unknown:
        raise UsageError(
            f"unknown --param key(s): {', '.join(unknown)} for {product.product_name} {product.version} "
            f"(valid: {', '.join(sorted(product.parameter_keys)) or 'none'})"
        )


def launch(
    sagemaker: Any,
    servicecatalog: Any,
    name: str,
    product: ProductVersion,
    parameters: Mapping[str, str],
    tags: Mapping[str, str],
    description: str = "",
) -> str:
    """CreateProject from a product version; returns the project's ARN."""
    validate_project_name(name)
    check_parameters(product, parameters)
    details: dict[str, Any] = {"ProductId": product.product_id, "ProvisioningArtifactId": product.artifact_id}
    if product.path_id is not None:
        details["PathId"] = product.path_id
    if parameters:
        details["ProvisioningParameters"] = [{"Key": k, "Value": v} for k, v in sorted(parameters.items())]
    kwargs: dict[str, Any] = {"ProjectName": name, "ServiceCatalogProvisioningDetails": details}
    if description:
        kwargs["ProjectDescription"] = description
    if tags:
        kwargs["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(tags.items())]
    try:
        return str(sagemaker.create_project(**kwargs)["ProjectArn"])
    except ClientError as err:
        raise AwsError(
            f"CreateProject {name} from {product.product_name} {product.version}: {error_code(err)}: {err}"
        ) from err


def status(sagemaker: Any, servicecatalog: Any, name: str) -> ProjectStatus:
    """The project's status and, once provisioned, its outputs."""
    try:
        project = sagemaker.describe_project(ProjectName=name)
    except ClientError as err:
        if error_code(err) == "ValidationException" and "does not exist" in str(err):
            raise UsageError(f"no SageMaker project named {name}") from err
        raise AwsError(f"DescribeProject {name}: {error_code(err)}: {err}") from err
    details = project.get("ServiceCatalogProvisionedProductDetails", {})
    result = ProjectStatus(
        name=name,
        project_id=str(project["ProjectId"]),
        status=str(project["ProjectStatus"]),
        message=str(details.get("ProvisionedProductStatusMessage", "")),
        provisioned_product_id=details.get("ProvisionedProductId"),
    )
    if result.provisioned_product_id and result.status in DONE:
        try:
            outputs = servicecatalog.get_provisioned_product_outputs(ProvisionedProductId=result.provisioned_product_id)
        except ClientError as err:
            raise AwsError(f"outputs of provisioned product {result.provisioned_product_id}: {err}") from err
        result.outputs = {str(o["OutputKey"]): str(o.get("OutputValue", "")) for o in outputs.get("Outputs", [])}
    return result


def current(sagemaker: Any, servicecatalog: Any, name: str, deleting: bool = False) -> ProjectStatus:
    """:func:`status`, except that a project being deleted that is already gone is ``DeleteCompleted``."""
    try:
        return status(sagemaker, servicecatalog, name)
    except UsageError:
        if deleting:
            return ProjectStatus(name=name, project_id="", status="DeleteCompleted")
        raise


def wait(
    sagemaker: Any,
    servicecatalog: Any,
    name: str,
    deleting: bool = False,
    timeout: float = 3600,
    interval: float = 15,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> ProjectStatus:
    """Poll until the project leaves its in-progress state (or, when ``deleting``, is gone); raise on failure or
    timeout."""
    deadline = clock() + timeout
    while True:
        state = current(sagemaker, servicecatalog, name, deleting)
        if progress is not None:
            progress(state.status, state.message)
        if state.status in DONE:
            return state
        if state.status in FAILED:
            raise CheckFailed(f"project {name} ended {state.status}: {state.message or 'no message'}")
        if clock() >= deadline:
            raise CheckFailed(f"project {name} still {state.status} after {timeout:.0f}s")
        sleep(interval)


def delete(sagemaker: Any, name: str) -> None:
    """DeleteProject (SageMaker terminates the provisioned product, which runs terraform destroy)."""
    try:
        sagemaker.delete_project(ProjectName=name)
    except ClientError as err:
        raise AwsError(f"DeleteProject {name}: {error_code(err)}: {err}") from err
