"""The Studio parameters of each packaged product, read as the Service Catalog Terraform engine reads them.

The engine's parameter parser (aws-samples/service-catalog-engine-for-terraform-os,
``lambda-functions/terraform_open_source_parameter_parser``) opens the artifact, reads only regular files ending in
``.tf`` at its root (``x.tf`` or ``./x.tf``; ``._*`` metadata skipped, sub-folders and ``.tf.json`` ignored), merges
``*override.tf`` files, and offers every ``variable`` as a provisioning parameter (a variable without a default is
required). So whatever is a root variable of the artifact, Studio asks a data scientist for.
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import hcl2
import pytest

from mlops_templates import packaging
from tests.harness.paths import REPO

# What a data scientist chooses in Studio, per product: the project, nothing else (governed settings are fixed in
# the product, wiring comes from artifacts.json).
EXPECTED: dict[str, dict[str, bool]] = {
    # The seed-code set (one of product.yaml's seed_code_sets; empty: the default).
    "build-train-deploy": {"SageMakerProjectId": True, "SageMakerProjectName": True, "SeedCodeSet": False},
    # SageMaker's "model building and training" template: the same parameters, no deployment.
    "build-train": {"SageMakerProjectId": True, "SageMakerProjectName": True, "SeedCodeSet": False},
    # SageMaker's own third-party Git template's parameters (the branches default to main).
    "build-train-deploy-git": {
        "SageMakerProjectId": True,
        "SageMakerProjectName": True,
        "CodeConnectionArn": True,
        "ModelBuildCodeRepositoryFullname": True,
        "ModelBuildCodeRepositoryBranch": False,
        "ModelDeployCodeRepositoryFullname": True,
        "ModelDeployCodeRepositoryBranch": False,
    },
    # The third-party Git template's parameters, the token the approvals reach GitHub with, and the seed-code set
    # (the Abalone code with its workflows).
    "build-train-deploy-github-actions": {
        "SageMakerProjectId": True,
        "SageMakerProjectName": True,
        "CodeConnectionArn": True,
        "ModelBuildCodeRepositoryFullname": True,
        "ModelBuildCodeRepositoryBranch": False,
        "ModelDeployCodeRepositoryFullname": True,
        "ModelDeployCodeRepositoryBranch": False,
        "GitHubTokenSecretArn": True,
        "SeedCodeSet": False,
    },
    # Experimentation branches are the template's governed choice, not a parameter.
    "multi-branch": {"SageMakerProjectId": True, "SageMakerProjectName": True},
    "build-train-deploy-anygit": {
        "SageMakerProjectId": True,
        "SageMakerProjectName": True,
        "GitCredentialsSecretArn": True,
        "ModelBuildCodeRepositoryUrl": True,
        "ModelBuildCodeRepositoryBranch": False,
        "ModelDeployCodeRepositoryUrl": True,
        "ModelDeployCodeRepositoryBranch": False,
    },
}


def engine_parameters(artifact: bytes) -> dict[str, dict[str, Any]]:
    """Parameter name -> {required, description} as the engine's parser derives them from a product tar.gz."""
    primary: dict[str, dict[str, Any]] = {}
    overrides: dict[str, dict[str, Any]] = {}
    with tarfile.open(fileobj=io.BytesIO(artifact)) as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("./")
            if not member.isfile() or "/" in name or name.startswith("._") or not name.endswith(".tf"):
                continue
            data = tar.extractfile(member)
            assert data is not None
            parsed = hcl2.load(
                io.StringIO(data.read().decode()),
                serialization_options=hcl2.SerializationOptions(strip_string_quotes=True, explicit_blocks=False),
            )
            target = overrides if name.endswith("override.tf") else primary
            for block in parsed.get("variable", []):
                for var_name, body in block.items():
                    target.setdefault(var_name, {}).update(body)
    for var_name, body in overrides.items():
        if var_name in primary:
            primary[var_name].update(body)
    return {
        name: {"required": "default" not in body, "description": body.get("description", "")}
        for name, body in primary.items()
    }


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    dist = tmp_path_factory.mktemp("dist")
    packaging.package(REPO, dist)
    manifest = json.loads((dist / "manifest.json").read_text())
    newest: dict[str, str] = {}
    for product, entry in manifest["products"].items():
        version = packaging.newest_version(entry["versions"])
        newest[product] = entry["versions"][version]["key"]
    return {product: (dist / key).read_bytes() for product, key in newest.items()}


def test_every_product_has_its_expected_parameters_listed() -> None:
    products = sorted(p.name for p in (REPO / "products").iterdir() if (p / "product.yaml").is_file())
    assert products == sorted(EXPECTED), "a new product needs its Studio parameters listed in EXPECTED"


@pytest.mark.parametrize("product", sorted(EXPECTED))
def test_studio_offers_only_what_a_data_scientist_chooses(product: str, packaged: dict[str, bytes]) -> None:
    parameters = engine_parameters(packaged[product])
    assert {name: p["required"] for name, p in parameters.items()} == EXPECTED[product]
    assert all(p["description"] for p in parameters.values()), "every parameter needs a description for Studio"


def test_parser_reads_root_tf_files_only(tmp_path: Path) -> None:
    """The parser model itself: sub-folders, .tf.json and ._ files are not parameters; overrides merge."""
    files = {
        "variables.tf": 'variable "a" {\n  description = "A"\n  type = string\n}\n',
        "extra_override.tf": 'variable "a" {\n  default = "x"\n}\n',
        "wiring.tf.json": json.dumps({"variable": {"b": {}}}),
        "._variables.tf": 'variable "c" {}\n',
        "modules/m/variables.tf": 'variable "d" {}\n',
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, text in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(text.encode())
            tar.addfile(info, io.BytesIO(text.encode()))
    assert engine_parameters(buffer.getvalue()) == {"a": {"required": False, "description": "A"}}
