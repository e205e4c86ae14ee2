"""Seed-code sets: the registry (catalog/seed-code-sets.yaml), products allowing sets, `package` of folder and S3
sets (moto), and `upload` of what it built. Synthetic repositories in tmp_path; the real registry at the end."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from mlops_templates import aws, packaging, seed_sets
from mlops_templates.cli import main
from mlops_templates.errors import ConfigError, PackagingError
from mlops_templates.seed_sets import SeedCodeIntegrityError
from mlops_templates.upload import upload
from tests.harness.paths import REPO
from tests.scripts.test_packaging import PRODUCT_YAML, synthetic_repo

REGION = "eu-west-1"
ORG_BUCKET = "org-seed-code"
ORG_KEY = "churn/model-build-2.0.0.zip"
CATALOG_BUCKET = "catalog-artifacts"

SETS_PRODUCT_YAML = PRODUCT_YAML.replace(
    "seed_code:\n  model_build: demo/build\n", "seed_code_sets:\n  - local-set\n  - org-set\n"
)


def org_zip(entries: list[tuple[str, bytes, int]], date: tuple[int, int, int, int, int, int]) -> bytes:
    """A zip as another tool makes it: unsorted entries, folder entries, its own timestamps, ``(name, data, mode)``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name, date_time=date)
            info.create_system = 3
            info.external_attr = mode << 16
            archive.writestr(info, data)
    return out.getvalue()


ORG_FILES = [
    ("./pipelines/", b"", stat.S_IFDIR | 0o755),
    ("./pipelines/train.py", b"print('train')\n", stat.S_IFREG | 0o644),
    ("./run.sh", b"#!/bin/sh\necho run\n", stat.S_IFREG | 0o755),
    ("README.md", b"# churn\n", stat.S_IFREG | 0o644),
    ("pipelines/__pycache__/train.cpython-312.pyc", b"\0", stat.S_IFREG | 0o644),
    (".DS_Store", b"x", stat.S_IFREG | 0o644),
]
ORG_ZIP = org_zip(ORG_FILES, (2024, 5, 17, 12, 30, 0))


def registry_yaml(sha256: str, s3_url: str = f"s3://{ORG_BUCKET}/{ORG_KEY}") -> str:
    return f"""\
sets:
  local-set:
    description: The in-repository seed code.
    repositories:
      model_build: {{folder: demo/build}}
  org-set:
    description: The organisation's churn model.
    version: "2.0.0"
    repositories:
      model_build:
        s3: "{s3_url}"
        sha256: "{sha256}"
      model_deploy: {{folder: demo/build}}
"""


def sets_repo(root: Path, sha256: str | None = None, product_yaml: str = SETS_PRODUCT_YAML) -> Path:
    repo = synthetic_repo(root, product_yaml)
    (repo / "catalog").mkdir()
    (repo / "catalog" / "seed-code-sets.yaml").write_text(registry_yaml(sha256 or hashlib.sha256(ORG_ZIP).hexdigest()))
    return repo


@pytest.fixture
def org_s3(mocked_aws: None) -> Any:
    """moto's S3 with the organisation's bucket holding ORG_ZIP, and an empty catalog bucket."""
    client = boto3.client("s3", region_name=REGION)
    for bucket in (ORG_BUCKET, CATALOG_BUCKET):
        client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    client.put_object(Bucket=ORG_BUCKET, Key=ORG_KEY, Body=ORG_ZIP)
    return client


def product_wiring(dist: Path) -> dict[str, Any]:
    manifest = json.loads((dist / "manifest.json").read_text())
    (product,) = [a for a in manifest["artifacts"] if a["kind"] == "products"]
    with tarfile.open(dist / product["key"]) as tar:
        member = tar.extractfile("artifacts.json")
        assert member is not None
        wiring: dict[str, Any] = json.loads(member.read())
    return wiring


def dist_files(dist: Path) -> list[Path]:
    return sorted(p for p in dist.rglob("*") if p.is_file()) if dist.exists() else []


# --- package ----------------------------------------------------------------------------------------------------


def test_s3_set_is_verified_and_repackaged_like_a_folder(tmp_path: Path, org_s3: Any) -> None:
    repo = sets_repo(tmp_path / "repo")
    dist = tmp_path / "dist"
    packaging.package(repo, dist, s3=org_s3)
    manifest = json.loads((dist / "manifest.json").read_text())
    seeds = {(a["name"], a["version"]): a for a in manifest["artifacts"] if a["kind"] == "seed"}
    # local-set has no version: its folder follows the product's; org-set's folder repository takes the set's.
    assert set(seeds) == {("demo/build", "1.0.0"), ("demo/build", "2.0.0"), ("org-set/model_build", "2.0.0")}
    external = seeds[("org-set/model_build", "2.0.0")]
    assert external["key"] == f"seed/org-set/model_build/2.0.0/{external['content_digest']}.zip"
    data = (dist / external["key"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == external["sha256"] != hashlib.sha256(ORG_ZIP).hexdigest()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    # Normalised: sorted files only, no ./, no folders, caches or .DS_Store; fixed time; modes 0644/0755.
    assert [i.filename for i in infos] == ["README.md", "pipelines/train.py", "run.sh"]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in infos}
    assert modes == {"README.md": 0o644, "pipelines/train.py": 0o644, "run.sh": 0o755}
    assert packaging.archive_content_digest(data, "zip") == external["content_digest"]

    wiring = product_wiring(dist)
    local_key = seeds[("demo/build", "1.0.0")]["key"]
    assert wiring["default_seed_code_set"] == "local-set"
    assert wiring["seed_code_sets"] == {
        "local-set": {"model_build": local_key},
        "org-set": {"model_build": external["key"], "model_deploy": seeds[("demo/build", "2.0.0")]["key"]},
    }
    assert wiring["seed_code_keys"] == {"model_build": local_key}, "the default set, for readers of seed_code_keys"
    version = manifest["products"]["demo"]["versions"]["1.0.0"]
    assert version["seed_code_sets"] == wiring["seed_code_sets"]
    assert packaging.seed_users(manifest, external["key"]) == ["demo"]


def test_the_same_files_in_another_zip_keep_the_key(tmp_path: Path, org_s3: Any) -> None:
    """Another zip tool's bytes (order, timestamps, compression) of the same files: the same content digest."""
    other = org_zip(list(reversed(ORG_FILES)), (2025, 1, 2, 3, 4, 6))
    assert other != ORG_ZIP
    org_s3.put_object(Bucket=ORG_BUCKET, Key="other.zip", Body=other)
    keys = []
    for name, zip_key, data in (("one", ORG_KEY, ORG_ZIP), ("two", "other.zip", other)):
        repo = synthetic_repo(tmp_path / name, SETS_PRODUCT_YAML)
        (repo / "catalog").mkdir()
        url = f"s3://{ORG_BUCKET}/{zip_key}"
        (repo / "catalog" / "seed-code-sets.yaml").write_text(registry_yaml(hashlib.sha256(data).hexdigest(), url))
        packaging.package(repo, tmp_path / f"dist-{name}", s3=org_s3)
        keys.append(product_wiring(tmp_path / f"dist-{name}")["seed_code_sets"]["org-set"]["model_build"])
    assert keys[0] == keys[1]


def test_sha256_mismatch_is_refused_by_the_cli_and_nothing_is_written(
    tmp_path: Path, org_s3: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    pinned = "ab" * 32
    repo = sets_repo(tmp_path / "repo", sha256=pinned)
    dist = tmp_path / "dist"
    with pytest.raises(SeedCodeIntegrityError):
        packaging.package(repo, dist, s3=org_s3)
    code = main(["package", "--repo", str(repo), "--dist", str(dist), "--region", REGION])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 5
    actual = hashlib.sha256(ORG_ZIP).hexdigest()
    assert "org-set" in err and f"s3://{ORG_BUCKET}/{ORG_KEY}" in err and pinned in err and actual in err
    assert dist_files(dist) == [], "no artifact, no manifest"


def test_missing_object_is_refused(tmp_path: Path, org_s3: Any, capsys: pytest.CaptureFixture[str]) -> None:
    org_s3.delete_object(Bucket=ORG_BUCKET, Key=ORG_KEY)
    repo = sets_repo(tmp_path / "repo")
    with pytest.raises(PackagingError, match=rf"org-set \(model_build\): s3://{ORG_BUCKET}/{ORG_KEY} does not exist"):
        packaging.package(repo, tmp_path / "dist", s3=org_s3)
    assert main(["package", "--repo", str(repo), "--dist", str(tmp_path / "dist"), "--region", REGION]) == 5
    assert "NoSuchKey" in capsys.readouterr().err
    assert dist_files(tmp_path / "dist") == []


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize(
    ("name", "mode", "message"),
    [
        ("../outside.py", stat.S_IFREG | 0o644, r"leaves the repository"),
        ("pipelines/../../outside.py", stat.S_IFREG | 0o644, r"leaves the repository"),
        ("/etc/cron.d/x", stat.S_IFREG | 0o644, r"absolute"),
        ("link.py", stat.S_IFLNK | 0o777, r"symlink"),
        ("README.md", stat.S_IFREG | 0o644, r"appears twice"),
    ],
)
def test_unsafe_zip_entries_are_refused(tmp_path: Path, org_s3: Any, name: str, mode: int, message: str) -> None:
    data = org_zip([*ORG_FILES, (name, b"x", mode)], (2024, 5, 17, 12, 30, 0))
    org_s3.put_object(Bucket=ORG_BUCKET, Key=ORG_KEY, Body=data)
    repo = sets_repo(tmp_path / "repo", sha256=hashlib.sha256(data).hexdigest())
    with pytest.raises(PackagingError, match=message) as caught:
        packaging.package(repo, tmp_path / "dist", s3=org_s3)
    assert f"s3://{ORG_BUCKET}/{ORG_KEY}" in str(caught.value)
    assert dist_files(tmp_path / "dist") == []


def test_not_a_zip_is_refused(tmp_path: Path, org_s3: Any) -> None:
    org_s3.put_object(Bucket=ORG_BUCKET, Key=ORG_KEY, Body=b"not a zip")
    repo = sets_repo(tmp_path / "repo", sha256=hashlib.sha256(b"not a zip").hexdigest())
    with pytest.raises(PackagingError, match="not a readable zip"):
        packaging.package(repo, tmp_path / "dist", s3=org_s3)


def test_an_s3_set_needs_a_client(tmp_path: Path) -> None:
    repo = sets_repo(tmp_path / "repo")
    with pytest.raises(ConfigError, match=r"org-set .* needs an S3 client"):
        packaging.package(repo, tmp_path / "dist")
    assert packaging.external_sets(repo) == ["org-set"]


def test_cli_makes_no_s3_client_without_s3_sets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Folder sets only: package needs no AWS settings at all."""
    repo = synthetic_repo(tmp_path / "repo", SETS_PRODUCT_YAML.replace("  - org-set\n", ""))
    (repo / "catalog").mkdir()
    (repo / "catalog" / "seed-code-sets.yaml").write_text(registry_yaml("ab" * 32))

    def no_session(**_: Any) -> Any:
        raise AssertionError("package made an AWS session")

    monkeypatch.setattr(aws, "session", no_session)
    assert main(["package", "--repo", str(repo), "--dist", str(tmp_path / "dist"), "--json"]) == 0
    assert product_wiring(tmp_path / "dist")["default_seed_code_set"] == "local-set"


def test_changed_object_under_the_same_set_version_names_the_registry(tmp_path: Path, org_s3: Any) -> None:
    repo = sets_repo(tmp_path / "repo")
    dist = tmp_path / "dist"
    packaging.package(repo, dist, s3=org_s3)
    changed = org_zip([*ORG_FILES, ("new.py", b"x", stat.S_IFREG | 0o644)], (2024, 5, 17, 12, 30, 0))
    org_s3.put_object(Bucket=ORG_BUCKET, Key=ORG_KEY, Body=changed)
    registry = repo / "catalog" / "seed-code-sets.yaml"
    registry.write_text(registry_yaml(hashlib.sha256(changed).hexdigest()))
    with pytest.raises(PackagingError, match=r"bump the version of seed-code set org-set in catalog/seed-code-sets"):
        packaging.package(repo, dist, s3=org_s3)


# --- folders: a base and its overlays ---------------------------------------------------------------------------

OVERLAY_PRODUCT_YAML = PRODUCT_YAML.replace(
    "seed_code:\n  model_build: demo/build\n", "seed_code_sets:\n  - overlay-set\n"
)
OVERLAY_REGISTRY = """\
sets:
  overlay-set:
    description: The in-repository seed code with CI workflows.
    version: "3.0.0"
    repositories:
      model_build: {folders: [demo/build, demo/overlay]}
      model_deploy: {folder: demo/build}
"""


def overlay_repo(root: Path, registry: str = OVERLAY_REGISTRY) -> Path:
    """The synthetic repository, its seed folder demo/build and an overlay demo/overlay adding two files."""
    repo = synthetic_repo(root, OVERLAY_PRODUCT_YAML)
    overlay = repo / "seed_code" / "demo" / "overlay"
    (overlay / ".github" / "workflows").mkdir(parents=True)
    (overlay / ".github" / "workflows" / "build.yml").write_text("on: push\n")
    (overlay / ".github" / "__pycache__").mkdir()
    (overlay / ".github" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (overlay / "ci.sh").write_text("#!/bin/sh\necho ci\n")
    (overlay / "ci.sh").chmod(0o755)
    (repo / "catalog").mkdir()
    (repo / "catalog" / "seed-code-sets.yaml").write_text(registry)
    return repo


def zip_files(data: bytes) -> dict[str, tuple[bytes, int]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: (archive.read(i), (i.external_attr >> 16) & 0o777) for i in archive.infolist()}


def test_folders_are_merged_into_one_deterministic_repository(tmp_path: Path) -> None:
    repo = overlay_repo(tmp_path / "repo")
    for dist in ("one", "two"):
        packaging.package(repo, tmp_path / dist)
    manifest = json.loads((tmp_path / "one" / "manifest.json").read_text())
    seeds = {(a["name"], a["version"]): a for a in manifest["artifacts"] if a["kind"] == "seed"}
    assert set(seeds) == {("overlay-set/model_build", "3.0.0"), ("demo/build", "3.0.0")}
    merged = seeds[("overlay-set/model_build", "3.0.0")]
    assert merged["key"] == f"seed/overlay-set/model_build/3.0.0/{merged['content_digest']}.zip"
    data = (tmp_path / "one" / merged["key"]).read_bytes()
    assert data == (tmp_path / "two" / merged["key"]).read_bytes(), "byte-identical across two runs"
    assert packaging.archive_content_digest(data, "zip") == merged["content_digest"]
    # Both folders' files, sorted, caches left out, modes kept.
    assert zip_files(data) == {
        ".github/workflows/build.yml": (b"on: push\n", 0o644),
        "README.md": (b"# seed\n", 0o644),
        "ci.sh": (b"#!/bin/sh\necho ci\n", 0o755),
        "run.sh": (b"#!/bin/sh\necho run\n", 0o755),
    }
    wiring = product_wiring(tmp_path / "one")
    assert wiring["seed_code_sets"]["overlay-set"] == {
        "model_build": merged["key"],
        "model_deploy": seeds[("demo/build", "3.0.0")]["key"],
    }
    assert wiring["seed_code_keys"] == wiring["seed_code_sets"]["overlay-set"]


def test_merged_folders_without_a_set_version_follow_the_product(tmp_path: Path) -> None:
    repo = overlay_repo(tmp_path / "repo", OVERLAY_REGISTRY.replace('    version: "3.0.0"\n', ""))
    packaging.package(repo, tmp_path / "dist")
    wiring = product_wiring(tmp_path / "dist")
    assert wiring["seed_code_sets"]["overlay-set"]["model_build"].startswith("seed/overlay-set/model_build/1.0.0/")
    # Changed overlay content under the same product version: the product.yaml is the file to bump.
    (repo / "seed_code" / "demo" / "overlay" / "ci.sh").write_text("#!/bin/sh\necho changed\n")
    with pytest.raises(PackagingError, match=r"seed overlay-set/model_build version 1\.0\.0 .*products/demo/product"):
        packaging.package(repo, tmp_path / "dist")


def test_a_changed_overlay_under_the_same_set_version_names_the_registry(tmp_path: Path) -> None:
    repo = overlay_repo(tmp_path / "repo")
    packaging.package(repo, tmp_path / "dist")
    (repo / "seed_code" / "demo" / "overlay" / ".github" / "workflows" / "build.yml").write_text("on: [push]\n")
    with pytest.raises(PackagingError, match=r"bump the version of seed-code set overlay-set in catalog/seed-code"):
        packaging.package(repo, tmp_path / "dist")


@pytest.mark.parametrize(
    ("path", "clash", "kind"),
    [
        ("README.md", "README.md", "a file in both"),
        ("run.sh/inner.txt", "run.sh", "a file in demo/build, a folder in demo/overlay"),
        ("docs", "docs", "a folder in demo/build, a file in demo/overlay"),
    ],
)
def test_an_overlay_never_replaces_a_path_of_its_base(tmp_path: Path, path: str, clash: str, kind: str) -> None:
    repo = overlay_repo(tmp_path / "repo")
    (repo / "seed_code" / "demo" / "build" / "docs").mkdir()
    (repo / "seed_code" / "demo" / "build" / "docs" / "index.md").write_text("# docs\n")
    target = repo / "seed_code" / "demo" / "overlay" / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("overlay\n")
    with pytest.raises(PackagingError) as caught:
        packaging.package(repo, tmp_path / "dist")
    message = str(caught.value)
    assert f"seed folders demo/build and demo/overlay both hold {clash!r} ({kind})" in message
    assert "never replace" in message
    assert dist_files(tmp_path / "dist") == [], "nothing written"


def test_a_path_in_two_overlays_names_those_two(tmp_path: Path) -> None:
    repo = overlay_repo(tmp_path / "repo", OVERLAY_REGISTRY.replace("demo/overlay]", "demo/overlay, demo/more]"))
    more = repo / "seed_code" / "demo" / "more"
    (more / ".github" / "workflows").mkdir(parents=True)
    (more / ".github" / "workflows" / "build.yml").write_text("on: pull_request\n")
    with pytest.raises(PackagingError, match=r"seed folders demo/overlay and demo/more both hold '\.github/workflows/"):
        packaging.package(repo, tmp_path / "dist")


def test_merge_folders_returns_the_union_sorted(tmp_path: Path) -> None:
    repo = overlay_repo(tmp_path / "repo")
    entries = packaging.merge_folders(repo, ["demo/build", "demo/overlay"])
    assert [e.arcname for e in entries] == [".github/workflows/build.yml", "README.md", "ci.sh", "run.sh"]
    # The order of the folders decides nothing but which one an error names first.
    assert packaging.merge_folders(repo, ["demo/overlay", "demo/build"]) == entries


# --- product.yaml and the registry ------------------------------------------------------------------------------


def test_product_naming_an_unregistered_set_is_refused(tmp_path: Path) -> None:
    repo = sets_repo(tmp_path / "repo", product_yaml=SETS_PRODUCT_YAML + "  - fraud-set\n")
    with pytest.raises(ConfigError) as caught:
        packaging.package(repo, tmp_path / "dist")
    message = str(caught.value)
    assert "products/demo/product.yaml" in message and "'fraud-set' is not a registered seed-code set" in message
    assert "local-set, org-set" in message and "seed-code-sets.yaml" in message


@pytest.mark.parametrize(
    ("product_yaml", "message"),
    [
        (SETS_PRODUCT_YAML + "seed_code:\n  model_build: demo/build\n", "exclude each other"),
        (SETS_PRODUCT_YAML.replace("  - org-set\n", "  - local-set\n"), "names a set twice"),
        (SETS_PRODUCT_YAML.replace("  - local-set\n  - org-set\n", " []\n"), "must list seed-code set names"),
    ],
)
def test_invalid_seed_code_sets_in_product_yaml(tmp_path: Path, product_yaml: str, message: str) -> None:
    repo = sets_repo(tmp_path / "repo", product_yaml=product_yaml)
    with pytest.raises(ConfigError, match=message):
        packaging.package(repo, tmp_path / "dist")


GOOD_SHA = "0" * 64


@pytest.mark.parametrize(
    ("registry", "message"),
    [
        ("sets: {}\n", r"mapping with one key, 'sets'"),
        ("sets: {a: {}}\nother: 1\n", r"mapping with one key, 'sets'"),
        ("sets: [a]\n", r"mapping with one key, 'sets'"),
        ("sets:\n  Bad_Name: {description: d, repositories: {model_build: {folder: demo/build}}}\n", r"'Bad_Name'"),
        (
            "sets:\n  s: {description: d, owner: x, repositories: {model_build: {folder: demo/build}}}\n",
            r"set s: .*owner",
        ),
        ("sets:\n  s: {repositories: {model_build: {folder: demo/build}}}\n", r"set s: 'description'"),
        (
            "sets:\n  s: {description: d, version: '1.0', repositories: {model_build: {folder: demo/build}}}\n",
            r"set s: version '1.0'",
        ),
        (
            "sets:\n  s: {description: d, version: 1.0, repositories: {model_build: {folder: demo/build}}}\n",
            r"set s: version 1.0",
        ),
        ("sets:\n  s: {description: d}\n", r"set s: 'repositories'"),
        (
            "sets:\n  s: {description: d, repositories: {training: {folder: demo/build}}}\n",
            r"set s: repositories.training: unknown repository",
        ),
        (
            "sets:\n  s: {description: d, repositories: {model_build: {folder: demo/nope}}}\n",
            r"set s: repositories.model_build.folder: 'demo/nope'",
        ),
        (
            "sets:\n  s: {description: d, repositories: {model_build: {folder: ../products}}}\n",
            r"set s: repositories.model_build.folder: '../products'",
        ),
        (
            f"sets:\n  s: {{description: d, repositories: {{model_build: {{s3: 's3://bkt/k.zip', "
            f"sha256: '{GOOD_SHA}'}}}}}}\n",
            r"set s: 'version' is required",
        ),
        (
            f"sets:\n  s: {{description: d, version: '1.0.0', repositories: {{model_build: {{s3: 'https://bkt/k.zip', "
            f"sha256: '{GOOD_SHA}'}}}}}}\n",
            r"set s: repositories.model_build.s3: 'https://bkt/k.zip'",
        ),
        (
            "sets:\n  s: {description: d, version: '1.0.0', repositories: {model_build: {s3: 's3://bkt/k.zip', "
            "sha256: 'ABC'}}}\n",
            r"set s: repositories.model_build.sha256: must be",
        ),
        (
            f"sets:\n  s: {{description: d, version: '1.0.0', repositories: {{model_build: {{s3: 's3://bkt/k.zip', "
            f"sha256: '{GOOD_SHA}', folder: demo/build}}}}}}\n",
            r"set s: repositories.model_build: must be either",
        ),
        (
            "sets:\n  s: {description: d, repositories: {model_build: {s3: 's3://bkt/k.zip'}}}\n",
            r"set s: repositories.model_build: must be either",
        ),
        (
            "sets:\n  s: {description: d, repositories: {model_build: {folders: [demo/build]}}}\n",
            r"set s: repositories.model_build.folders: must list at least two folders",
        ),
        (
            "sets:\n  s: {description: d, repositories: {model_build: {folders: demo/build}}}\n",
            r"set s: repositories.model_build.folders: must list at least two folders",
        ),
        (
            "sets:\n  s: {description: d, repositories: {model_build: {folders: [demo/build, demo/nope]}}}\n",
            r"set s: repositories.model_build.folders\[1\]: 'demo/nope' is not a folder",
        ),
        (
            "sets:\n  s: {description: d, repositories: {model_build: {folders: [demo/build, ../products]}}}\n",
            r"set s: repositories.model_build.folders\[1\]: '../products' is not a folder",
        ),
        (
            "sets:\n  s: {description: d, repositories: {model_build: {folders: [demo/build, demo/build/]}}}\n",
            r"set s: repositories.model_build.folders: names a folder twice",
        ),
        (
            "sets:\n  s: {description: d, repositories: {model_build: {folders: [demo, demo/build]}}}\n",
            r"set s: repositories.model_build.folders: 'demo/build' is inside 'demo'",
        ),
        (
            "sets:\n  s: {description: d, repositories: {model_build: {folders: [demo/build, 7]}}}\n",
            r"set s: repositories.model_build.folders\[1\]: 7 is not a folder",
        ),
        (
            "sets:\n  s: {description: d, repositories: {model_build: {folder: demo/build, folders: [demo, x]}}}\n",
            r"set s: repositories.model_build: must be either .*folders: \[<base>, <overlay>, \.\.\.\]",
        ),
        ("sets: [\n", r"not valid YAML"),
    ],
)
def test_registry_is_validated_strictly(tmp_path: Path, registry: str, message: str) -> None:
    repo = sets_repo(tmp_path / "repo")
    (repo / "catalog" / "seed-code-sets.yaml").write_text(registry)
    with pytest.raises(ConfigError, match=message) as caught:
        seed_sets.load_registry(repo)
    assert "catalog/seed-code-sets.yaml" in str(caught.value)


def test_registry_error_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = sets_repo(tmp_path / "repo")
    (repo / "catalog" / "seed-code-sets.yaml").write_text("sets:\n  s: {description: d}\n")
    assert main(["package", "--repo", str(repo), "--dist", str(tmp_path / "dist")]) == 4
    assert "seed-code-sets.yaml: set s: 'repositories'" in " ".join(capsys.readouterr().err.split())


def test_products_without_sets_need_no_registry(tmp_path: Path) -> None:
    """seed_code (one implicit set) packages as before: no registry, artifacts.json without sets."""
    repo = synthetic_repo(tmp_path / "repo")
    packaging.package(repo, tmp_path / "dist")
    assert set(product_wiring(tmp_path / "dist")) == {
        "seed_code_keys",
        "seed_push_function_key",
        "teardown_function_key",
    }


# --- upload -----------------------------------------------------------------------------------------------------


def test_upload_of_an_s3_set_is_idempotent(tmp_path: Path, org_s3: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = sets_repo(tmp_path / "repo")
    dist = tmp_path / "dist"
    packaging.package(repo, dist, s3=org_s3)
    key = product_wiring(dist)["seed_code_sets"]["org-set"]["model_build"]
    first = upload(org_s3, dist, CATALOG_BUCKET)
    assert key in {a.key for a in first.uploaded}
    stored = org_s3.get_object(Bucket=CATALOG_BUCKET, Key=key)["Body"].read()
    assert stored == (dist / key).read_bytes()
    # Packaged again on another day (other archive bytes, same files): nothing is sent, nothing replaced.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    again = tmp_path / "again"
    packaging.package(repo, again, s3=org_s3)
    second = upload(org_s3, again, CATALOG_BUCKET)
    assert (again / key).read_bytes() != stored
    assert second.uploaded == [] and key in {a.key for a in second.skipped}
    index = json.loads(org_s3.get_object(Bucket=CATALOG_BUCKET, Key="manifest.json")["Body"].read())
    assert index["products"]["demo"]["versions"]["1.0.0"]["seed_code_sets"]["org-set"]["model_build"] == key


# --- the real registry ------------------------------------------------------------------------------------------


def test_real_registry_and_products() -> None:
    registry = seed_sets.load_registry(REPO)
    assert "abalone-xgboost" in registry
    abalone = registry["abalone-xgboost"]
    assert {k: s.folder for k, s in abalone.repositories.items()} == {
        "model_build": "build-train-deploy/model-build",
        "model_deploy": "build-train-deploy/model-deploy",
    }
    overlays = registry["abalone-xgboost-github-actions"]
    assert overlays.version == "1.0.0"
    assert {k: s.folders for k, s in overlays.repositories.items()} == {
        "model_build": ("build-train-deploy/model-build", "github-actions/model-build"),
        "model_deploy": ("build-train-deploy/model-deploy", "github-actions/model-deploy"),
    }
    for folders in (s.folders for s in overlays.repositories.values()):
        assert folders is not None
        merged = [e.arcname for e in packaging.merge_folders(REPO, folders)]
        assert [p for p in merged if p.startswith(".github/")], "the overlay adds its workflows"
    product = packaging.load_product(REPO / "products" / "build-train-deploy", REPO / "seed_code", registry)
    assert product.seed_code_sets[0] == "abalone-xgboost" and not product.seed_code
    # The Studio parameter is offered exactly where a product allows sets.
    for folder in sorted((REPO / "products").iterdir()):
        if (folder / "product.yaml").is_file():
            allows = "seed_code_sets" in yaml.safe_load((folder / "product.yaml").read_text())
            assert (folder / "seed_code_parameters.tf").is_symlink() == allows, folder.name


def test_upload_of_a_changed_object_under_the_same_set_version_names_the_registry(tmp_path: Path, org_s3: Any) -> None:
    repo = sets_repo(tmp_path / "repo")
    packaging.package(repo, tmp_path / "dist", s3=org_s3)
    upload(org_s3, tmp_path / "dist", CATALOG_BUCKET)
    changed = org_zip([*ORG_FILES, ("new.py", b"x", stat.S_IFREG | 0o644)], (2024, 5, 17, 12, 30, 0))
    org_s3.put_object(Bucket=ORG_BUCKET, Key=ORG_KEY, Body=changed)
    (repo / "catalog" / "seed-code-sets.yaml").write_text(registry_yaml(hashlib.sha256(changed).hexdigest()))
    # A fresh checkout (no earlier dist/) with a new product version: only the set's artifact collides.
    (repo / "products" / "demo" / "product.yaml").write_text(SETS_PRODUCT_YAML.replace("1.0.0", "1.0.1"))
    packaging.package(repo, tmp_path / "fresh", s3=org_s3)
    with pytest.raises(PackagingError, match=r"seed org-set/model_build version 2\.0\.0 is already published") as err:
        upload(org_s3, tmp_path / "fresh", CATALOG_BUCKET)
    assert "seed-code set org-set: its version in catalog/seed-code-sets.yaml" in str(err.value)
