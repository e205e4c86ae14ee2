"""`launch`, `status` and `delete-project`: SageMaker projects created from a published product.

A SageMaker project is a Service Catalog provisioned product that SageMaker creates for us: ``CreateProject`` with
the product id and provisioning artifact (version) id, then the Terraform engine provisions it. These commands are
the smoke test of a published catalog against a real account.
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

PROJECT_NAME_RE = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$")
DONE = frozenset({"CreateCompleted", "UpdateCompleted", "DeleteCompleted"})
FAILED = frozenset({"CreateFailed", "UpdateFailed", "DeleteFailed"})

Progress = Callable[[str, str], None]


@dataclass(frozen=True)
class ProductVersion:
    """A product and one of its versions (provisioning artifacts) as Service Catalog knows them."""

    product_id: str
    product_name: str
    artifact_id: str
    version: str


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


def find_product_version(servicecatalog: Any, product: str, version: str | None) -> ProductVersion:
    """Resolve a product (id ``prod-...`` or name) and a version name (default: the newest active DEFAULT one)."""
    try:
        if product.startswith("prod-"):
            view = servicecatalog.describe_product_as_admin(Id=product)["ProductViewDetail"]["ProductViewSummary"]
        else:
            found = servicecatalog.search_products_as_admin(Filters={"FullTextSearch": [product]})
            views = [d["ProductViewSummary"] for d in found.get("ProductViewDetails", [])]
            matches = [v for v in views if v.get("Name") == product]
            if not matches:
                raise UsageError(f"no Service Catalog product named {product!r} in this account and region")
            view = matches[0]
        product_id = str(view["ProductId"])
        artifacts = servicecatalog.list_provisioning_artifacts(ProductId=product_id)["ProvisioningArtifactDetails"]
    except ClientError as err:
        raise AwsError(f"Service Catalog product {product}: {error_code(err)}: {err}") from err
    if version is not None:
        chosen = [a for a in artifacts if a.get("Name") == version]
        if not chosen:
            names = ", ".join(sorted(str(a.get("Name")) for a in artifacts)) or "none"
            raise UsageError(f"product {product} has no version {version!r} (versions: {names})")
        if not chosen[0].get("Active", True):
            raise UsageError(f"version {version} of product {product} is inactive and cannot be launched")
    else:
        chosen = sorted(
            (a for a in artifacts if a.get("Active", True) and a.get("Guidance", "DEFAULT") == "DEFAULT"),
            key=lambda a: a["CreatedTime"],
            reverse=True,
        )
        if not chosen:
            raise UsageError(f"product {product} has no active DEFAULT version to launch")
    return ProductVersion(product_id, str(view.get("Name", product)), str(chosen[0]["Id"]), str(chosen[0]["Name"]))


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
    details: dict[str, Any] = {"ProductId": product.product_id, "ProvisioningArtifactId": product.artifact_id}
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
        try:
            current = status(sagemaker, servicecatalog, name)
        except UsageError:
            if deleting:
                return ProjectStatus(name=name, project_id="", status="DeleteCompleted")
            raise
        if progress is not None:
            progress(current.status, current.message)
        if current.status in DONE:
            return current
        if current.status in FAILED:
            raise CheckFailed(f"project {name} ended {current.status}: {current.message or 'no message'}")
        if clock() >= deadline:
            raise CheckFailed(f"project {name} still {current.status} after {timeout:.0f}s")
        sleep(interval)


def delete(sagemaker: Any, name: str) -> None:
    """DeleteProject (SageMaker terminates the provisioned product, which runs terraform destroy)."""
    try:
        sagemaker.delete_project(ProjectName=name)
    except ClientError as err:
        raise AwsError(f"DeleteProject {name}: {error_code(err)}: {err}") from err
