"""`mlops-templates package`: determinism, contents, and every refusal, on the real repository and on small
synthetic repositories built in tmp_path."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from mlops_templates import packaging
from mlops_templates.cli import main
from mlops_templates.errors import ConfigError, PackagingError
from mlops_templates.toolchain import ProviderSource
from tests.harness.paths import REPO
from tests.harness.terraform import init

PRODUCT_YAML = """\
name: demo
version: 1.0.0
owner: Platform
description: A demo product.
support:
  email: team@example.com
seed_code:
  model_build: demo/build
"""


def synthetic_repo(root: Path, product_yaml: str = PRODUCT_YAML) -> Path:
    """modules a -> b (nested use), an unused module, a product using a, and one seed folder."""
    (root / "modules" / "a" / "examples" / "basic").mkdir(parents=True)
    (root / "modules" / "a" / "main.tf").write_text('module "b" {\n  source = "../b"\n}\n')
    (root / "modules" / "a" / "examples" / "basic" / "main.tf").write_text('module "a" {\n  source = "../.."\n}\n')
    (root / "modules" / "b").mkdir()
    (root / "modules" / "b" / "main.tf").write_text("# b\n")
    (root / "modules" / "unused").mkdir()
    (root / "modules" / "unused" / "main.tf").write_text("# unused\n")
    product = root / "products" / "demo"
    (product / "tests").mkdir(parents=True)
    (product / "main.tf").write_text('module "a" {\n  source = "./modules/a"\n}\n')
    (product / "versions.tf").write_text('terraform {\n  required_version = ">= 1.9"\n}\n')
    (product / "tests" / "demo.tftest.hcl").write_text("# test\n")
    (product / "terraform.tfstate").write_text("{}")
    (product / ".DS_Store").write_text("x")
    (product / "product.yaml").write_text(product_yaml)
    (product / "modules").symlink_to("../../modules")
    seed = root / "seed_code" / "demo" / "build"
    (seed / "__pycache__").mkdir(parents=True)
    (seed / "README.md").write_text("# seed\n")
    (seed / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (seed / "run.sh").write_text("#!/bin/sh\necho run\n")
    (seed / "run.sh").chmod(0o755)
    return root


def read_artifacts(dist: Path) -> dict[str, bytes]:
    manifest = json.loads((dist / "manifest.json").read_text())
    return {a["key"]: (dist / a["key"]).read_bytes() for a in manifest["artifacts"]}


def product_artifact(dist: Path, name: str) -> tuple[dict[str, Any], tarfile.TarFile]:
    manifest = json.loads((dist / "manifest.json").read_text())
    (artifact,) = [a for a in manifest["artifacts"] if a["kind"] == "products" and a["name"] == name]
    return artifact, tarfile.open(dist / artifact["key"])


def test_real_repository_packages_byte_identically_twice(tmp_path: Path) -> None:
    first = packaging.package(REPO, tmp_path / "one")
    second = packaging.package(REPO, tmp_path / "two")
    assert first.new and len(first.new) == len(second.new)
    one, two = read_artifacts(tmp_path / "one"), read_artifacts(tmp_path / "two")
    assert one == two
    assert (tmp_path / "one" / "manifest.json").read_bytes() == (tmp_path / "two" / "manifest.json").read_bytes()
    for key, data in one.items():
        kind, name, version, filename = key.split("/", 1)[0], *key.rsplit("/", 3)[-3:]
        manifest_entry = next(a for a in json.loads((tmp_path / "one" / "manifest.json").read_text())["artifacts"]
                              if a["key"] == key)  # fmt: skip
        assert manifest_entry["sha256"] == hashlib.sha256(data).hexdigest(), key
        digest = packaging.archive_content_digest(data, packaging.archive_ext(key))
        assert filename.split(".", 1)[0] == digest == manifest_entry["content_digest"], key
        assert kind in {"products", "seed", "lambdas"} and name and version


def test_repackaging_the_same_content_changes_nothing(tmp_path: Path) -> None:
    packaging.package(REPO, tmp_path)
    again = packaging.package(REPO, tmp_path)
    assert again.new == []
    assert {a.kind for a in again.unchanged} == {"products", "seed", "lambdas"}


def test_source_date_epoch_sets_the_timestamps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    packaging.package(REPO, tmp_path / "a")
    _, tar = product_artifact(tmp_path / "a", "build-train-deploy")
    assert {member.mtime for member in tar.getmembers()} == {1700000000}
    assert {(member.uid, member.gid, member.uname, member.gname) for member in tar.getmembers()} == {(0, 0, "", "")}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    packaging.package(REPO, tmp_path / "b")
    assert read_artifacts(tmp_path / "a") != read_artifacts(tmp_path / "b")


def test_bad_source_date_epoch_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH"):
        packaging.source_date_epoch()


def test_product_artifact_holds_only_what_it_uses(tmp_path: Path) -> None:
    packaging.package(REPO, tmp_path)
    _, tar = product_artifact(tmp_path, "build-train-deploy")
    names = tar.getnames()
    modules = {n.split("/")[1] for n in names if n.startswith("modules/")}
    used = {
        "artifact-bucket",
        "branch-pipelines",
        "code-repository",
        "codebuild-project",
        "git-webhook",
        "github-dispatch",
        "github-oidc-role",
        "event-rules",
        "iam-service-role",
        "kms-key",
        "mlops-pipeline",
        "mlops-project",
        "model-package-group",
        "project-function",
        "project-teardown",
        "seed-push-function",
    }
    assert modules == used
    assert not [n for n in names if "/examples/" in n or "/tests/" in n or n.startswith("tests/")]
    assert {"main.tf", "project_parameters.tf", "providers.tf", ".terraform.lock.hcl", "artifacts.json"} <= set(names)
    member = tar.extractfile("artifacts.json")
    assert member is not None
    tfvars = json.loads(member.read())
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    keys = {a["key"] for a in manifest["artifacts"]}
    assert set(tfvars["seed_code_keys"]) == {"model_build", "model_deploy"}
    assert set(tfvars["seed_code_keys"].values()) <= keys
    assert tfvars["seed_push_function_key"] in keys
    version = manifest["products"]["build-train-deploy"]["versions"]["1.1.0"]
    assert version["guidance"] == "DEFAULT" and version["seed_code_keys"] == tfvars["seed_code_keys"]
    # The sets it allows (catalog/seed-code-sets.yaml), the default's keys also as seed_code_keys for old readers.
    assert tfvars["default_seed_code_set"] == "abalone-xgboost"
    assert tfvars["seed_code_sets"] == {"abalone-xgboost": tfvars["seed_code_keys"]}
    assert version["seed_code_sets"] == tfvars["seed_code_sets"]


def test_a_product_names_the_functions_it_uses(tmp_path: Path) -> None:
    """artifacts.json holds the keys of the functions product.yaml lists (the CodeCommit pair by default): the
    third-party Git template gets the git-seed function and no CodeCommit seed-push."""
    from mlops_templates.lambdas import git_seed

    packaging.package(REPO, tmp_path)
    wiring = {}
    for product in ("build-train-deploy", "build-train-deploy-git"):
        _, tar = product_artifact(tmp_path, product)
        member = tar.extractfile("artifacts.json")
        assert member is not None
        wiring[product] = json.loads(member.read())
    assert set(wiring["build-train-deploy"]) == {
        "default_seed_code_set",
        "seed_code_keys",
        "seed_code_sets",
        "seed_push_function_key",
        "teardown_function_key",
    }
    assert set(wiring["build-train-deploy-git"]) == {"seed_code_keys", "git_seed_function_key", "teardown_function_key"}
    key = wiring["build-train-deploy-git"]["git_seed_function_key"]
    assert key.startswith(f"lambdas/git-seed/{git_seed.__version__}/") and key.endswith(".zip")
    with zipfile.ZipFile(tmp_path / key) as archive:
        assert sorted(archive.namelist()) == ["git_seed.py", "githttp.py"], "the handler and its shared library"
    assert wiring["build-train-deploy-git"]["seed_code_keys"] == wiring["build-train-deploy"]["seed_code_keys"]


def test_the_teardown_function_is_packaged_and_wired(tmp_path: Path) -> None:
    """Deleting a project needs the teardown function: its zip, named in the product's artifacts.json."""
    from mlops_templates.lambdas import project_teardown

    packaging.package(REPO, tmp_path)
    _, tar = product_artifact(tmp_path, "build-train-deploy")
    member = tar.extractfile("artifacts.json")
    assert member is not None
    key = json.loads(member.read())["teardown_function_key"]
    assert key.startswith(f"lambdas/project-teardown/{project_teardown.__version__}/") and key.endswith(".zip")
    with zipfile.ZipFile(tmp_path / key) as archive:
        assert archive.namelist() == ["project_teardown.py"]
    assert {"modules/project-teardown/main.tf", "modules/project-function/main.tf"} <= set(tar.getnames())


def test_seed_zip_vendors_the_endpoint_module(tmp_path: Path) -> None:
    packaging.package(REPO, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    (deploy,) = [a for a in manifest["artifacts"] if a["name"] == "build-train-deploy/model-deploy"]
    names = zipfile.ZipFile(tmp_path / deploy["key"]).namelist()
    assert "endpoint/modules/sagemaker-endpoint/main.tf" in names
    assert "build.py" in names
    assert not [n for n in names if n.startswith("endpoint/modules/") and "sagemaker-endpoint" not in n]


def test_packaged_product_is_a_valid_root_config(tmp_path: Path, provider: ProviderSource) -> None:
    """The tar.gz is what the Service Catalog engine runs: it must init and validate on its own."""
    packaging.package(REPO, tmp_path / "dist")
    _, tar = product_artifact(tmp_path / "dist", "build-train-deploy")
    root = tmp_path / "root"
    tar.extractall(root, filter="data")
    init(root, provider).run("validate", "-no-color")


def test_synthetic_product_contents_and_modes(tmp_path: Path) -> None:
    repo = synthetic_repo(tmp_path / "repo")
    packaging.package(repo, tmp_path / "dist")
    _, tar = product_artifact(tmp_path / "dist", "demo")
    assert sorted(tar.getnames()) == [
        "artifacts.json",
        "main.tf",
        "modules/a/main.tf",
        "modules/b/main.tf",
        "product.yaml",
        "versions.tf",
    ]
    manifest = json.loads((tmp_path / "dist" / "manifest.json").read_text())
    (seed,) = [a for a in manifest["artifacts"] if a["kind"] == "seed"]
    assert seed["key"].startswith("seed/demo/build/1.0.0/")
    archive = zipfile.ZipFile(tmp_path / "dist" / seed["key"])
    assert archive.namelist() == ["README.md", "run.sh"]
    assert (archive.getinfo("run.sh").external_attr >> 16) & 0o777 == 0o755
    assert (archive.getinfo("README.md").external_attr >> 16) & 0o777 == 0o644
    assert manifest["products"]["demo"]["support_email"] == "team@example.com"


def test_changed_content_under_the_same_version_is_refused(tmp_path: Path) -> None:
    repo = synthetic_repo(tmp_path / "repo")
    dist = tmp_path / "dist"
    packaging.package(repo, dist)
    (repo / "products" / "demo" / "main.tf").write_text('module "a" {\n  source = "./modules/a"\n}\n# changed\n')
    with pytest.raises(PackagingError, match=r"products demo version 1\.0\.0 was already packaged with different"):
        packaging.package(repo, dist)
    # A new version with the changed content is fine, and the older version stays in the manifest.
    (repo / "products" / "demo" / "product.yaml").write_text(PRODUCT_YAML.replace("1.0.0", "1.1.0"))
    result = packaging.package(repo, dist)
    assert set(result.manifest["products"]["demo"]["versions"]) == {"1.0.0", "1.1.0"}
    assert {(a.kind, a.version) for a in result.new} == {("products", "1.1.0"), ("seed", "1.1.0")}


def test_deprecated_versions_get_deprecated_guidance(tmp_path: Path) -> None:
    repo = synthetic_repo(tmp_path / "repo")
    dist = tmp_path / "dist"
    packaging.package(repo, dist)
    (repo / "products" / "demo" / "main.tf").write_text("# 1.1.0\n" + (repo / "products/demo/main.tf").read_text())
    (repo / "products" / "demo" / "product.yaml").write_text(
        PRODUCT_YAML.replace("1.0.0", "1.1.0") + "deprecated_versions: [1.0.0]\n"
    )
    result = packaging.package(repo, dist)
    versions = result.manifest["products"]["demo"]["versions"]
    assert {v: d["guidance"] for v, d in versions.items()} == {"1.0.0": "DEPRECATED", "1.1.0": "DEFAULT"}
    assert result.manifest["products"]["demo"]["initial_version"] == "1.0.0"


def test_semantic_version_order() -> None:
    ordered = sorted(["1.10.0", "1.2.0", "1.2.0-rc.1", "0.9.9"], key=packaging.semver_key)
    assert ordered == ["0.9.9", "1.2.0-rc.1", "1.2.0", "1.10.0"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: (p / "product.yaml").unlink(), "product.yaml: missing"),
        (lambda p: (p / "product.yaml").write_text(": ["), "not valid YAML"),
        (lambda p: (p / "product.yaml").write_text(PRODUCT_YAML.replace("1.0.0", "one")), "not a semantic version"),
        (lambda p: (p / "product.yaml").write_text(PRODUCT_YAML.replace("name: demo", "name: other")), "folder name"),
        (lambda p: (p / "product.yaml").write_text(PRODUCT_YAML + "colour: red\n"), "unknown key"),
        (lambda p: (p / "product.yaml").write_text(PRODUCT_YAML.replace("owner: Platform\n", "")), "'owner'"),
        (lambda p: (p / "product.yaml").write_text(PRODUCT_YAML.replace("demo/build", "demo/nope")), "seed_code"),
        (
            lambda p: (p / "product.yaml").write_text(PRODUCT_YAML + "functions: [git-seed, git-push]\n"),
            r"'functions' must list function names among "
            r"branch-pipelines, git-seed, git-webhook, github-dispatch, project-teardown, seed-push",
        ),
    ],
    ids=["missing", "yaml", "version", "name", "unknown-key", "owner", "seed-folder", "unknown-function"],
)
def test_invalid_product_yaml_is_refused(tmp_path: Path, change: Any, message: str) -> None:
    repo = synthetic_repo(tmp_path / "repo")
    change(repo / "products" / "demo")
    with pytest.raises(ConfigError, match=message):
        packaging.package(repo, tmp_path / "dist")


@pytest.mark.parametrize(
    ("versions_tf", "message"),
    [
        ("terraform {}\n", "no terraform required_version"),
        ('terraform {\n  required_version = ">= 1.2.8"\n}\n', r"must set a lower bound of at least >= 1\.9"),
        ('terraform {\n  required_version = "~> 1.5"\n}\n', "must set a lower bound"),
    ],
    ids=["missing", "too-old", "no-lower-bound"],
)
def test_terraform_version_too_old_for_the_modules_is_refused(tmp_path: Path, versions_tf: str, message: str) -> None:
    repo = synthetic_repo(tmp_path / "repo")
    (repo / "products" / "demo" / "versions.tf").write_text(versions_tf)
    with pytest.raises(ConfigError, match=message):
        packaging.package(repo, tmp_path / "dist")


def test_required_version_is_recorded_for_the_engine(tmp_path: Path) -> None:
    packaging.package(REPO, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["products"]["build-train-deploy"]["terraform_required_version"] == ">= 1.9"


def test_module_source_escaping_the_repository_is_refused(tmp_path: Path) -> None:
    repo = synthetic_repo(tmp_path / "repo")
    (tmp_path / "outside").mkdir()
    (repo / "modules" / "a" / "main.tf").write_text('module "x" {\n  source = "../../../outside"\n}\n')
    with pytest.raises(PackagingError, match=r"module source '../../../outside' escapes the repository"):
        packaging.package(repo, tmp_path / "dist")


def test_missing_module_is_refused(tmp_path: Path) -> None:
    repo = synthetic_repo(tmp_path / "repo")
    (repo / "products" / "demo" / "main.tf").write_text('module "a" {\n  source = "./modules/zzz"\n}\n')
    with pytest.raises(PackagingError, match="does not exist"):
        packaging.package(repo, tmp_path / "dist")


def test_broken_symlink_is_refused(tmp_path: Path) -> None:
    repo = synthetic_repo(tmp_path / "repo")
    (repo / "seed_code" / "demo" / "build" / "data.csv").symlink_to("missing.csv")
    with pytest.raises(PackagingError, match=r"data\.csv: broken symlink"):
        packaging.package(repo, tmp_path / "dist")


def test_symlink_escaping_the_repository_is_refused(tmp_path: Path) -> None:
    repo = synthetic_repo(tmp_path / "repo")
    (tmp_path / "secret.txt").write_text("secret")
    (repo / "seed_code" / "demo" / "build" / "secret.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(PackagingError, match="symlink escapes the repository"):
        packaging.package(repo, tmp_path / "dist")


def test_unknown_product_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown product 'nope' \(known: build-train, build-train-deploy, "):
        packaging.package(REPO, tmp_path, ["nope"])


def test_corrupt_manifest_is_refused(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(ConfigError, match=r"manifest\.json: not a valid manifest"):
        packaging.package(REPO, tmp_path)


def test_cli_package_json_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dist = tmp_path / "dist"
    assert main(["package", "--repo", str(REPO), "--dist", str(dist), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {a["kind"] for a in report["built"]} == {"products", "seed", "lambdas"}
    repo = synthetic_repo(tmp_path / "repo")
    (repo / "products" / "demo" / "product.yaml").unlink()
    assert main(["package", "--repo", str(repo), "--dist", str(tmp_path / "d2")]) == ConfigError.exit_code
    assert "product.yaml: missing" in capsys.readouterr().err


def test_lambda_zip_holds_the_handler_module(tmp_path: Path) -> None:
    packaging.package(REPO, tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    (function,) = [a for a in manifest["artifacts"] if a["kind"] == "lambdas" and a["name"] == "seed-push"]
    archive = zipfile.ZipFile(io.BytesIO((tmp_path / function["key"]).read_bytes()))
    assert archive.namelist() == ["seed_push.py"]
    assert b"def handler(" in archive.read("seed_push.py")
    assert Path(function["key"]).name.startswith(function["content_digest"])


# --- content identity (issue 8, finding 6) ----------------------------------------------------------------------


def artifacts_by_ident(dist: Path) -> dict[tuple[str, str, str], dict[str, Any]]:
    manifest = json.loads((dist / "manifest.json").read_text())
    return {(a["kind"], a["name"], a["version"]): a for a in manifest["artifacts"]}


def test_same_sources_under_two_epochs_have_one_content_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Other archive bytes (another timestamp, another zlib) for the same files are the same version, not a conflict."""
    repo = synthetic_repo(tmp_path / "repo")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    packaging.package(repo, tmp_path / "a")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    packaging.package(repo, tmp_path / "b")
    a, b = artifacts_by_ident(tmp_path / "a"), artifacts_by_ident(tmp_path / "b")
    assert a.keys() == b.keys()
    for ident in a:
        assert a[ident]["sha256"] != b[ident]["sha256"], ident  # the bytes differ ...
        assert a[ident]["content_digest"] == b[ident]["content_digest"], ident  # ... the content does not
        assert a[ident]["key"] == b[ident]["key"], ident  # so does the S3 key, and the product's wiring
    # Packaging again into the first dist under the other epoch is no conflict and keeps the first bytes.
    again = packaging.package(repo, tmp_path / "a")
    assert again.new == [] and artifacts_by_ident(tmp_path / "a") == a


def test_content_digest_ignores_compression_and_timestamps() -> None:
    entries = [packaging.Entry("b.txt", b"b", False), packaging.Entry("a/run.sh", b"#!/bin/sh\n", True)]
    digest = packaging.content_digest(entries)
    fast = io.BytesIO()
    with zipfile.ZipFile(fast, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for entry in entries:
            info = zipfile.ZipInfo(entry.arcname, date_time=(2001, 2, 3, 4, 5, 6))
            info.external_attr = (0o100755 if entry.executable else 0o100644) << 16
            archive.writestr(info, entry.content)
    for data, ext in ((fast.getvalue(), "zip"), (packaging.build_zip(entries, 1234567890), "zip"),
                      (packaging.build_tar_gz(entries, 0), "tar.gz")):  # fmt: skip
        assert packaging.archive_content_digest(data, ext) == digest
    assert packaging.content_digest([*entries[:1], packaging.Entry("a/run.sh", b"#!/bin/sh\n", False)]) != digest
    assert packaging.content_digest([*entries[:1], packaging.Entry("a/run.sh", b"#!/bin/bash\n", True)]) != digest


def test_changed_product_or_seed_content_names_the_product_yaml(tmp_path: Path) -> None:
    repo = synthetic_repo(tmp_path / "repo")
    packaging.package(repo, tmp_path / "dist")
    (repo / "seed_code" / "demo" / "build" / "README.md").write_text("# changed seed\n")
    with pytest.raises(PackagingError, match=r"seed demo/build version 1\.0\.0 .*bump the version in products/demo/"
                       r"product\.yaml"):  # fmt: skip
        packaging.package(repo, tmp_path / "dist")


def test_changed_lambda_under_the_same_version_names_its_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "seed_push.py"
    source.write_text('"""A stand-in."""\n\n__version__ = "1.0.0"\n\n\ndef handler(event, context):\n    return 1\n')
    original = packaging.lambda_source
    monkeypatch.setattr(packaging, "lambda_source", lambda name: source if name == "seed-push" else original(name))
    repo = synthetic_repo(tmp_path / "repo")
    packaging.package(repo, tmp_path / "dist")
    source.write_text(source.read_text().replace("return 1", "return 2"))
    with pytest.raises(
        PackagingError, match=r"lambdas seed-push version 1\.0\.0 .*bump __version__ in .*seed_push\.py"
    ):
        packaging.package(repo, tmp_path / "dist")
    # A new function version changes the product's wiring (its key), so the product takes a new version too.
    source.write_text(source.read_text().replace('"1.0.0"', '"1.0.1"'))
    (repo / "products" / "demo" / "product.yaml").write_text(PRODUCT_YAML.replace("1.0.0", "1.0.1"))
    result = packaging.package(repo, tmp_path / "dist")
    assert sorted((a.kind, a.version) for a in result.new) == [
        ("lambdas", "1.0.1"),
        ("products", "1.0.1"),
        ("seed", "1.0.1"),
    ]


def test_lambda_version_comes_from_its_module(tmp_path: Path) -> None:
    from mlops_templates.lambdas import seed_push

    packaging.package(REPO, tmp_path)
    (function,) = [a for a in json.loads((tmp_path / "manifest.json").read_text())["artifacts"]
                   if a["kind"] == "lambdas" and a["name"] == "seed-push"]  # fmt: skip
    assert function["version"] == seed_push.__version__


# --- seed code keeps its tests (issue 8, finding 5) --------------------------------------------------------------


def test_seed_code_keeps_its_tests_and_products_do_not(tmp_path: Path) -> None:
    repo = synthetic_repo(tmp_path / "repo")
    seed = repo / "seed_code" / "demo" / "build"
    (seed / "tests").mkdir()
    (seed / "tests" / "test_run.py").write_text("def test_run():\n    assert True\n")
    (seed / "endpoint").mkdir()
    (seed / "endpoint" / "main.tf").write_text('module "a" {\n  source = "./modules/a"\n}\n')
    (seed / "endpoint" / "modules").symlink_to("../../../../modules")
    (repo / "modules" / "a" / "tests").mkdir()
    (repo / "modules" / "a" / "tests" / "a.tftest.hcl").write_text("# module test\n")
    packaging.package(repo, tmp_path / "dist")
    manifest = json.loads((tmp_path / "dist" / "manifest.json").read_text())
    (artifact,) = [a for a in manifest["artifacts"] if a["kind"] == "seed"]
    names = zipfile.ZipFile(tmp_path / "dist" / artifact["key"]).namelist()
    assert "tests/test_run.py" in names
    assert "endpoint/modules/a/main.tf" in names and "endpoint/modules/a/tests/a.tftest.hcl" not in names
    _, tar = product_artifact(tmp_path / "dist", "demo")
    assert not [n for n in tar.getnames() if "tests/" in n]


# --- what users read in the catalog (issue 8, finding 10) --------------------------------------------------------


def test_real_product_yaml_support_description_is_whole() -> None:
    product = packaging.load_product(REPO / "products" / "build-train-deploy", REPO / "seed_code")
    assert product.support["description"] == "Ask the ML platform team in #ml-platform."


def test_product_text_limits_are_service_catalog_s() -> None:
    """The limits load_product enforces are those of CreateProduct in botocore's copy of the service model."""
    import botocore.session

    shape = botocore.session.get_session().get_service_model("servicecatalog").operation_model("CreateProduct")
    assert shape.input_shape is not None
    members = shape.input_shape.members
    fields = {"name": "Name", "owner": "Owner", "distributor": "Distributor", "description": "Description",
              "support.email": "SupportEmail", "support.url": "SupportUrl",
              "support.description": "SupportDescription"}  # fmt: skip
    assert {key: members[api].metadata["max"] for key, api in fields.items()} == packaging.PRODUCT_TEXT_LIMITS


@pytest.mark.parametrize(
    ("support", "message"),
    [
        ("  email: team-at-example.com\n", r"support\.email 'team-at-example\.com' is not an email address"),
        ("  email: t@example.com\n  url: http://example.com/help\n", r"support\.url .* must be an https:// URL"),
        ("  email: t@example.com\n  url: https://\n", r"support\.url .* must be an https:// URL"),
        ("  email: t@example.com\n  description: " + "x" * 8192 + "\n", r"support\.description is 8192 characters"),
        ("  email: t@example.com\n  description:\n", r"'support\.description' must be a non-empty string"),
        ("  email: t@example.com\n  description: [a, b]\n", r"'support\.description' must be a non-empty string"),
        ("  url: https://example.com/help\n", r"support\.email is required"),
    ],
    ids=["email", "http-url", "empty-url", "long-description", "empty-description", "list-description", "no-email"],
)
def test_support_fields_are_validated(tmp_path: Path, support: str, message: str) -> None:
    yaml_text = PRODUCT_YAML.replace("support:\n  email: team@example.com\n", "support:\n" + support)
    repo = synthetic_repo(tmp_path / "repo", yaml_text)
    with pytest.raises(ConfigError, match=message):
        packaging.package(repo, tmp_path / "dist")


def test_product_description_limit(tmp_path: Path) -> None:
    repo = synthetic_repo(tmp_path / "repo", PRODUCT_YAML.replace("A demo product.", "y" * 8192))
    with pytest.raises(ConfigError, match=r"description is 8192 characters, Service Catalog allows at most 8191"):
        packaging.package(repo, tmp_path / "dist")
