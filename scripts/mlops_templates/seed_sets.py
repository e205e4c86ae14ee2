"""The registry of seed-code sets (``catalog/seed-code-sets.yaml``), owned by the platform team.

A *set* is the code a project's repositories start with: per repository (``model_build``, ``model_deploy``) a folder
under ``seed_code/`` of this repository, several such folders merged in order (a base and its overlays), or a zip in
an organisation S3 bucket pinned by its sha256::

    sets:
      abalone-xgboost:
        description: XGBoost regression on the Abalone dataset.
        repositories:
          model_build: {folder: build-train-deploy/model-build}
          model_deploy: {folder: build-train-deploy/model-deploy}
      abalone-xgboost-github-actions:
        description: The same code, with GitHub Actions workflows.
        repositories:
          model_build: {folders: [build-train-deploy/model-build, github-actions/model-build]}
          model_deploy: {folders: [build-train-deploy/model-deploy, github-actions/model-deploy]}
      churn-lightgbm:
        description: LightGBM churn classifier of the data platform team.
        version: 2.1.0                      # required when a repository is an S3 object
        repositories:
          model_build: {s3: "s3://org-seed-code/churn/model-build-2.1.0.zip", sha256: "<64 hex digits>"}
          model_deploy: {folder: build-train-deploy/model-deploy}

The folders of a ``folders`` list add files to each other and never replace one: a path in two of them (or a file
where another folder has a directory) is refused by ``mlops-templates package`` naming both folders
(:func:`mlops_templates.packaging.merge_folders`), so an overlay cannot silently change its base.

A product allows sets by name in its ``product.yaml`` (``seed_code_sets``, the first is the default); a Studio
parameter picks one. ``mlops-templates package`` downloads an S3 object with the S3 client it is given, refuses it
unless its sha256 is the registry's (:class:`SeedCodeIntegrityError`), and repackages its files into the same
deterministic zip as a folder's: entries with absolute or ``..`` paths, symlinks and duplicates are refused
(:func:`read_seed_zip`).
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from botocore.exceptions import BotoCoreError, ClientError

from mlops_templates.errors import AwsError, ConfigError, PackagingError

REGISTRY_FILE = Path("catalog") / "seed-code-sets.yaml"
REPOSITORY_KEYS = ("model_build", "model_deploy")
SET_KEYS = frozenset({"description", "version", "repositories"})
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
VERSION_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$")
S3_URL_RE = re.compile(r"^s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(\S+\.zip)$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
# NoSuchKey from GetObject, NoSuchBucket, and the bare 404 of a HEAD-like answer.
MISSING_CODES = frozenset({"NoSuchKey", "NoSuchBucket", "404", "NotFound"})


class SeedCodeIntegrityError(PackagingError):
    """An S3 seed-code object is not the one the registry pins (its sha256 differs)."""


@dataclass(frozen=True)
class Source:
    """Where one repository of a set comes from: ``folder`` (under seed_code/), ``folders`` (under seed_code/, merged
    in order, at least two) or ``s3`` with its ``sha256``."""

    folder: str | None = None
    folders: tuple[str, ...] | None = None
    s3: str | None = None
    sha256: str | None = None

    @property
    def bucket_key(self) -> tuple[str, str]:
        match = S3_URL_RE.match(self.s3 or "")
        assert match is not None  # checked by load_registry
        return match.group(1), match.group(2)


@dataclass(frozen=True)
class SeedCodeSet:
    """One registered set."""

    name: str
    description: str
    version: str | None
    repositories: dict[str, Source]

    @property
    def external(self) -> bool:
        """Whether a repository of the set is an S3 object."""
        return any(source.s3 is not None for source in self.repositories.values())


def load_registry(repo: Path) -> dict[str, SeedCodeSet]:
    """The sets of ``<repo>/catalog/seed-code-sets.yaml`` (none when the file does not exist), validated strictly:
    every error names the file, the set and the field."""
    path = repo / REGISTRY_FILE
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: not valid YAML: {err}") from err
    if not isinstance(data, dict) or set(data) != {"sets"} or not isinstance(data["sets"], dict) or not data["sets"]:
        raise ConfigError(f"{path}: must be a mapping with one key, 'sets', mapping set names to their definitions")
    seed_root = (repo / "seed_code").resolve()
    sets = sorted(data["sets"].items(), key=lambda item: str(item[0]))
    return {str(name): _load_set(path, seed_root, name, body) for name, body in sets}


def _load_set(path: Path, seed_root: Path, name: Any, body: Any) -> SeedCodeSet:
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise ConfigError(f"{path}: set name {name!r} must be kebab-case (a-z, 0-9 and -)")
    where = f"{path}: set {name}"
    if not isinstance(body, dict):
        raise ConfigError(f"{where}: must be a mapping with keys among {', '.join(sorted(SET_KEYS))}")
    unknown = sorted(set(map(str, body)) - SET_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(SET_KEYS))}")
    description = body.get("description")
    if not isinstance(description, str) or not description.strip():
        raise ConfigError(f"{where}: 'description' must be a non-empty string")
    version = body.get("version")
    if version is not None and (not isinstance(version, str) or not VERSION_RE.match(version)):
        raise ConfigError(f"{where}: version {version!r} is not a semantic version (MAJOR.MINOR.PATCH, quoted)")
    repositories = body.get("repositories")
    if not isinstance(repositories, dict) or not repositories:
        raise ConfigError(f"{where}: 'repositories' must map {' and/or '.join(REPOSITORY_KEYS)} to their sources")
    sources: dict[str, Source] = {}
    for key, spec in sorted(repositories.items(), key=lambda item: str(item[0])):
        if key not in REPOSITORY_KEYS:
            raise ConfigError(f"{where}: repositories.{key}: unknown repository; allowed: {', '.join(REPOSITORY_KEYS)}")
        sources[key] = _load_source(f"{where}: repositories.{key}", seed_root, spec)
    if version is None and any(source.s3 for source in sources.values()):
        raise ConfigError(f"{where}: 'version' is required for a set with an S3 object (the artifact's version)")
    return SeedCodeSet(name, description.strip(), version, sources)


def _seed_folder(where: str, seed_root: Path, folder: Any) -> str:
    """``folder`` checked to be a folder under seed_code/."""
    target = (seed_root / str(folder)).resolve()
    if not isinstance(folder, str) or not folder or not target.is_relative_to(seed_root) or not target.is_dir():
        raise ConfigError(f"{where}: {folder!r} is not a folder under {seed_root}")
    return folder


def _load_source(where: str, seed_root: Path, spec: Any) -> Source:
    if isinstance(spec, dict) and set(spec) == {"folder"}:
        return Source(folder=_seed_folder(f"{where}.folder", seed_root, spec["folder"]))
    if isinstance(spec, dict) and set(spec) == {"folders"}:
        folders = spec["folders"]
        if not isinstance(folders, list) or len(folders) < 2:
            raise ConfigError(
                f"{where}.folders: must list at least two folders under seed_code/ (a base, then its overlays); "
                "for one folder write {folder: <path>}"
            )
        checked = tuple(_seed_folder(f"{where}.folders[{i}]", seed_root, f) for i, f in enumerate(folders))
        resolved = [(seed_root / f).resolve() for f in checked]
        if len(set(resolved)) != len(resolved):
            raise ConfigError(f"{where}.folders: names a folder twice: {', '.join(checked)}")
        for i, outer in enumerate(resolved):
            for j, inner in enumerate(resolved):
                if i != j and inner.is_relative_to(outer):
                    raise ConfigError(
                        f"{where}.folders: {checked[j]!r} is inside {checked[i]!r} (its files would be there twice)"
                    )
        return Source(folders=checked)
    if isinstance(spec, dict) and set(spec) == {"s3", "sha256"}:
        url, digest = spec["s3"], spec["sha256"]
        if not isinstance(url, str) or not S3_URL_RE.match(url):
            raise ConfigError(f"{where}.s3: {url!r} must be an s3://<bucket>/<key>.zip URL")
        if not isinstance(digest, str) or not SHA256_RE.match(digest):
            raise ConfigError(f"{where}.sha256: must be the object's sha256 as 64 lowercase hex digits, got {digest!r}")
        return Source(s3=url, sha256=digest)
    raise ConfigError(
        f"{where}: must be either {{folder: <path under seed_code/>}}, {{folders: [<base>, <overlay>, ...]}} "
        "or {s3: <url>, sha256: <hex>}"
    )


def fetch(s3: Any, seed_set: SeedCodeSet, repository: str) -> bytes:
    """The bytes of an S3 repository of ``seed_set``, refused unless their sha256 is the registry's."""
    source = seed_set.repositories[repository]
    bucket, key = source.bucket_key
    where = f"seed-code set {seed_set.name} ({repository}): {source.s3}"
    try:
        data = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError as err:
        code = str(err.response.get("Error", {}).get("Code", ""))
        if code in MISSING_CODES:
            raise PackagingError(f"{where} does not exist ({code}): fix the registry {REGISTRY_FILE}") from err
        raise AwsError(f"{where} cannot be read: {code}: {err}") from err
    except BotoCoreError as err:
        raise AwsError(f"{where} cannot be read: {err}") from err
    actual = hashlib.sha256(data).hexdigest()
    if actual != source.sha256:
        raise SeedCodeIntegrityError(
            f"{where} has sha256 {actual}, but {REGISTRY_FILE} pins {source.sha256}: the object changed "
            "(or the registry is wrong); nothing was packaged"
        )
    return bytes(data)


def read_seed_zip(data: bytes, where: str) -> list[tuple[str, bytes, bool]]:
    """The files of a seed-code zip as ``(path, content, executable)``, paths normalised (no ``./``); refuses absolute
    or ``..`` paths, backslashes, symlinks and duplicate paths. Folders are left out (as in a folder set)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as err:
        raise PackagingError(f"{where}: not a readable zip: {err}") from err
    files: dict[str, tuple[str, bytes, bool]] = {}
    with archive:
        for info in archive.infolist():
            name = info.filename
            mode = (info.external_attr >> 16) & 0xFFFF if info.create_system == 3 else 0
            if name.startswith("/") or "\\" in name or re.match(r"^[A-Za-z]:", name):
                raise PackagingError(f"{where}: entry {name!r} has an absolute or non-POSIX path")
            parts = [p for p in PurePosixPath(name).parts if p != "."]
            if ".." in parts:
                raise PackagingError(f"{where}: entry {name!r} leaves the repository ('..')")
            if stat.S_ISLNK(mode):
                raise PackagingError(f"{where}: entry {name!r} is a symlink (a seed-code zip holds files only)")
            if info.is_dir() or not parts:
                continue
            path = "/".join(parts)
            if path in files:
                raise PackagingError(f"{where}: entry {name!r} appears twice")
            try:
                content = archive.read(info)
            except (zipfile.BadZipFile, OSError, RuntimeError) as err:
                raise PackagingError(f"{where}: entry {name!r} cannot be read: {err}") from err
            files[path] = (path, content, bool(mode & stat.S_IXUSR))
    return [files[path] for path in sorted(files)]
