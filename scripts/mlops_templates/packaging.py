"""`mlops-templates package`: deterministic artifacts of products, seed code and Lambda functions.

What it builds in ``dist/`` (every path equals the artifact's S3 key, ``<kind>/<name>/<version>/<digest>.<ext>``):

* one zip per seed-code folder a product names in its ``product.yaml`` (``seed/<template>/<folder>/<version>/``),
  directly (``seed_code``) or through the sets of ``catalog/seed-code-sets.yaml`` it allows (``seed_code_sets``, see
  :mod:`mlops_templates.seed_sets`); a set's S3 object, verified against its pinned sha256 and repackaged the same
  way, and a set's merged folders (a base and its overlays, :func:`merge_folders`) are
  ``seed/<set>/<repository>/<version>/``;
* one zip per Lambda function of :mod:`mlops_templates.lambdas` (``lambdas/<name>/<version>/``);
* one tar.gz per product version (``products/<name>/<version>/``): the product's root files plus only the modules
  it uses, found by following ``source = "./modules/..."`` through the ``modules`` symlink, and an
  ``artifacts.json`` that tells the product where its seed code and its seed-push and teardown functions are;
* ``dist/manifest.json``: every artifact (kind, name, version, sha256, content_digest, size, key) and, per product,
  the metadata and versions the catalog publishes.

Archives are byte-identical across runs on one machine: sorted entries, uid/gid 0, modes 0644/0755, a fixed mtime
(``SOURCE_DATE_EPOCH`` when set), gzip mtime 0. Their bytes still depend on the timestamp and on the zlib build, so
an artifact is identified by its *content digest* (:func:`content_digest`: the sorted path, mode and sha256 of every
file), which is also its key's ``<digest>``: unchanged sources give the same keys, and the same product wiring,
whatever the archive bytes. ``sha256`` is the digest of the archive bytes (what S3 holds). A version is immutable:
packaging it again with other content is refused, naming the file to bump (the product's ``product.yaml`` for
products and seed code, the Lambda module's ``__version__`` for functions); so are a missing or invalid
``product.yaml``, a module source that escapes the repository and a broken symlink.
"""

from __future__ import annotations

import fnmatch
import gzip
import hashlib
import io
import json
import os
import re
import stat
import tarfile
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from mlops_templates import seed_sets
from mlops_templates.errors import ConfigError, PackagingError
from mlops_templates.seed_sets import SeedCodeSet

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
DEFAULT_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can hold
ARTIFACTS_FILE = "artifacts.json"
# Lambda functions: name -> module of mlops_templates.lambdas holding the handler, which states the function's
# version as __version__.
LAMBDAS = {
    "branch-pipelines": "branch_pipelines.py",
    "git-seed": "git_seed.py",
    "git-webhook": "git_webhook.py",
    "github-dispatch": "github_dispatch.py",
    "project-teardown": "project_teardown.py",
    "seed-push": "seed_push.py",
}
# Modules of mlops_templates.lambdas a function's zip holds besides its handler module (shared code; a change to one
# changes the zip of every function that holds it, so each of their versions must be bumped).
LAMBDA_LIBRARIES: dict[str, tuple[str, ...]] = {
    "branch-pipelines": ("githttp.py",),
    "git-seed": ("githttp.py",),
    "git-webhook": ("githttp.py",),
}
# The key under which a product's artifacts.json names each function's zip (the product's module call reads it).
FUNCTION_KEYS = {
    "branch-pipelines": "branch_pipelines_function_key",
    "git-seed": "git_seed_function_key",
    "git-webhook": "git_webhook_function_key",
    "github-dispatch": "github_dispatch_function_key",
    "project-teardown": "teardown_function_key",
    "seed-push": "seed_push_function_key",
}
# The functions a product's artifacts.json names when its product.yaml does not say (the CodeCommit templates').
DEFAULT_FUNCTIONS = ("project-teardown", "seed-push")
LAMBDA_VERSION_RE = re.compile(r'^__version__\s*=\s*"([^"]+)"', re.MULTILINE)

# Seed code is a project's repository and keeps its tests; products and vendored modules leave theirs out.
SEED_EXCLUDED_DIRS = frozenset({".terraform", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".git"})
EXCLUDED_DIRS = SEED_EXCLUDED_DIRS | {"tests"}
EXCLUDED_FILES = ("*.tfstate", "*.tfstate.*", ".terraform.tfstate.lock.info", "*.tfplan", ".DS_Store", "._*", "*.pyc")
MODULE_EXCLUDED_DIRS = EXCLUDED_DIRS | {"examples"}

NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
VERSION_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$")
SOURCE_RE = re.compile(r'^\s*source\s*=\s*"([^"]+)"', re.MULTILINE)
REQUIRED_VERSION_RE = re.compile(r'^\s*required_version\s*=\s*"([^"]+)"', re.MULTILINE)
# The Service Catalog Terraform engine installs its TerraformCliVersion (default 1.2.8); the products need at least:
MINIMUM_TERRAFORM = (1, 9)
PRODUCT_KEYS = frozenset(
    {
        "name",
        "version",
        "owner",
        "distributor",
        "description",
        "support",
        "seed_code",
        "seed_code_sets",
        "functions",
        "deprecated_versions",
    }
)
SUPPORT_KEYS = frozenset({"email", "url", "description"})
# Longest text Service Catalog's CreateProduct accepts per field (botocore's service model; a test compares them).
PRODUCT_TEXT_LIMITS = {
    "name": 8191,
    "owner": 8191,
    "distributor": 8191,
    "description": 8191,
    "support.email": 254,
    "support.url": 2083,
    "support.description": 8191,
}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
HTTPS_URL_RE = re.compile(r"^https://[^\s/]+\S*$")


def source_date_epoch() -> int:
    """The archive timestamp: ``SOURCE_DATE_EPOCH`` when set (not before 1980), else 1980-01-01."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw == "":
        return DEFAULT_EPOCH
    try:
        value = int(raw)
    except ValueError as err:
        raise ConfigError(f"SOURCE_DATE_EPOCH must be an integer number of seconds, got {raw!r}") from err
    return max(value, DEFAULT_EPOCH)


@dataclass(frozen=True)
class Product:
    """A validated ``product.yaml``."""

    folder: Path
    name: str
    version: str
    owner: str
    distributor: str
    description: str
    support: dict[str, str]
    seed_code: dict[str, str]
    deprecated_versions: tuple[str, ...]
    terraform_required_version: str
    functions: tuple[str, ...] = DEFAULT_FUNCTIONS
    # The registered seed-code sets the product allows (catalog/seed-code-sets.yaml), the default first; empty when
    # the product names its folders directly (seed_code: one implicit set).
    seed_code_sets: tuple[str, ...] = ()


def terraform_required_version(folder: Path) -> str:
    """The root config's ``required_version``; refused when missing or when it allows Terraform older than 1.9."""
    found = [m for tf in sorted(folder.glob("*.tf")) for m in REQUIRED_VERSION_RE.findall(tf.read_text("utf-8"))]
    if not found:
        raise ConfigError(
            f"{folder}: no terraform required_version: state the minimum Terraform (>= 1.9) in versions.tf, "
            "the Service Catalog engine's TerraformCliVersion must satisfy it"
        )
    constraint = found[0]
    lower = re.search(r">=?\s*(\d+)\.(\d+)", constraint)
    if lower is None or (int(lower.group(1)), int(lower.group(2))) < MINIMUM_TERRAFORM:
        raise ConfigError(
            f"{folder}: required_version {constraint!r} must set a lower bound of at least >= 1.9 (the modules need it)"
        )
    return str(constraint)


def _require_str(data: Mapping[str, Any], key: str, where: Path, label: str | None = None) -> str:
    """A non-empty string within Service Catalog's length limit for the field."""
    label = label or key
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: '{label}' must be a non-empty string")
    value = value.strip()
    limit = PRODUCT_TEXT_LIMITS.get(label)
    if limit is not None and len(value) > limit:
        raise ConfigError(f"{where}: {label} is {len(value)} characters, Service Catalog allows at most {limit}")
    return value


def _support(data: Mapping[str, Any], where: Path) -> dict[str, str]:
    """The support contact users see in the catalog: an email address, optionally an https URL and a description."""
    support = data.get("support")
    if not isinstance(support, dict) or set(support) - SUPPORT_KEYS:
        raise ConfigError(f"{where}: 'support' must be a mapping with keys among {', '.join(sorted(SUPPORT_KEYS))}")
    if "email" not in support:
        raise ConfigError(f"{where}: support.email is required (the contact users see in the catalog)")
    checked = {key: _require_str(support, key, where, f"support.{key}") for key in sorted(support)}
    if not EMAIL_RE.match(checked["email"]):
        raise ConfigError(f"{where}: support.email {checked['email']!r} is not an email address")
    if "url" in checked and not HTTPS_URL_RE.match(checked["url"]):
        raise ConfigError(f"{where}: support.url {checked['url']!r} must be an https:// URL")
    return checked


def load_product(folder: Path, seed_root: Path, registry: Mapping[str, SeedCodeSet] | None = None) -> Product:
    """Read and validate ``<folder>/product.yaml``; seed-code folders must exist under ``seed_root``, seed-code sets
    in ``registry`` (default: the registry of the repository holding ``seed_root``)."""
    path = folder / "product.yaml"
    if not path.is_file():
        raise ConfigError(f"{path}: missing (every product folder needs a product.yaml)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: not valid YAML: {err}") from err
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must be a mapping")
    unknown = sorted(set(data) - PRODUCT_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(PRODUCT_KEYS))}")
    name = _require_str(data, "name", path)
    if not NAME_RE.match(name) or name != folder.name:
        raise ConfigError(f"{path}: name {name!r} must be kebab-case and equal the folder name {folder.name!r}")
    version = str(data.get("version", ""))
    if not VERSION_RE.match(version):
        raise ConfigError(f"{path}: version {version!r} is not a semantic version (MAJOR.MINOR.PATCH)")
    support = _support(data, path)
    seed_code = data.get("seed_code") or {}
    if not isinstance(seed_code, dict) or not all(isinstance(v, str) for v in seed_code.values()):
        raise ConfigError(f"{path}: 'seed_code' must map repository keys to folders under seed_code/")
    for key, relative in seed_code.items():
        target = (seed_root / relative).resolve()
        if not target.is_relative_to(seed_root.resolve()) or not target.is_dir():
            raise ConfigError(f"{path}: seed_code.{key} = {relative!r} is not a folder under {seed_root}")
    sets = _seed_code_sets(data, path, seed_root, registry)
    functions = data.get("functions", list(DEFAULT_FUNCTIONS))
    if not isinstance(functions, list) or not all(isinstance(f, str) and f in LAMBDAS for f in functions):
        raise ConfigError(f"{path}: 'functions' must list function names among {', '.join(sorted(LAMBDAS))}")
    deprecated = data.get("deprecated_versions") or []
    if not isinstance(deprecated, list) or not all(VERSION_RE.match(str(v)) for v in deprecated):
        raise ConfigError(f"{path}: 'deprecated_versions' must be a list of semantic versions")
    if version in [str(v) for v in deprecated]:
        raise ConfigError(f"{path}: the current version {version} cannot be deprecated")
    return Product(
        folder=folder,
        name=name,
        version=version,
        owner=_require_str(data, "owner", path),
        distributor=_require_str(data, "distributor" if "distributor" in data else "owner", path),
        description=_require_str(data, "description", path),
        support=support,
        seed_code={str(k): str(v) for k, v in sorted(seed_code.items())},
        deprecated_versions=tuple(str(v) for v in deprecated),
        terraform_required_version=terraform_required_version(folder),
        functions=tuple(sorted(set(functions))),
        seed_code_sets=sets,
    )


def _seed_code_sets(
    data: Mapping[str, Any], path: Path, seed_root: Path, registry: Mapping[str, SeedCodeSet] | None
) -> tuple[str, ...]:
    """The ``seed_code_sets`` of a product.yaml: distinct registered set names, the default first."""
    if "seed_code_sets" not in data:
        return ()
    names = data["seed_code_sets"]
    if data.get("seed_code"):
        raise ConfigError(f"{path}: 'seed_code' and 'seed_code_sets' exclude each other: name sets, or folders")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ConfigError(f"{path}: 'seed_code_sets' must list seed-code set names (the first is the default)")
    if len(set(names)) != len(names):
        raise ConfigError(f"{path}: 'seed_code_sets' names a set twice: {', '.join(names)}")
    if registry is None:
        registry = seed_sets.load_registry(seed_root.parent)
    for name in names:
        if name not in registry:
            known = ", ".join(sorted(registry)) or "none"
            raise ConfigError(
                f"{path}: seed_code_sets: {name!r} is not a registered seed-code set "
                f"(registered in {seed_sets.REGISTRY_FILE}: {known})"
            )
    return tuple(names)


# --- collecting files -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One file of an archive: its path inside the archive, its bytes and whether it is executable."""

    arcname: str
    content: bytes
    executable: bool


def _excluded(name: str, is_dir: bool, excluded_dirs: frozenset[str]) -> bool:
    if is_dir:
        return name in excluded_dirs
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in EXCLUDED_FILES)


def module_sources(folder: Path) -> list[str]:
    """The local module sources (``./...``/``../...``) of the ``.tf`` files directly in ``folder``."""
    sources: list[str] = []
    for tf in sorted(folder.glob("*.tf")):
        for source in SOURCE_RE.findall(tf.read_text(encoding="utf-8")):
            if source.startswith(("./", "../")):
                sources.append(source)
    return sources


@dataclass
class _Collector:
    repo: Path
    modules_dir: Path
    entries: dict[str, Entry] = field(default_factory=dict)

    def check_link(self, path: Path) -> None:
        """A symlink (to a file or a folder) must resolve, and stay inside the repository."""
        if not path.is_symlink():
            return
        real = path.resolve()
        if not real.exists():
            raise PackagingError(f"{path}: broken symlink (points to {path.readlink()})")
        if not real.is_relative_to(self.repo):
            raise PackagingError(f"{path}: symlink escapes the repository (points to {real})")

    def add_file(self, path: Path, arcname: str) -> None:
        real = path.resolve()
        self.entries[arcname] = Entry(arcname, real.read_bytes(), bool(real.stat().st_mode & stat.S_IXUSR))

    def add_tree(self, folder: Path, prefix: str, excluded_dirs: frozenset[str]) -> None:
        """Add a folder's files under ``prefix``; a ``modules`` symlink into the repository's modules/ is replaced
        by the modules that the folder's Terraform uses."""
        for child in sorted(folder.iterdir(), key=lambda p: p.name):
            arcname = f"{prefix}{child.name}"
            if child.is_symlink() and child.name == "modules" and child.resolve() == self.modules_dir:
                self.add_used_modules(folder, prefix)
                continue
            self.check_link(child)
            if child.is_dir():
                if not _excluded(child.name, True, excluded_dirs):
                    self.add_tree(child, f"{arcname}/", excluded_dirs)
            elif not _excluded(child.name, False, excluded_dirs):
                self.add_file(child, arcname)

    def add_used_modules(self, folder: Path, prefix: str) -> None:
        """Add every module reachable from the ``.tf`` files in ``folder`` as ``<prefix>modules/<name>``.

        All vendored modules live side by side, so ``./modules/x`` from a root and ``../y`` from a module resolve
        to the same layout as in the repository.
        """
        pending = [(folder, source) for source in module_sources(folder)]
        seen: set[str] = set()
        while pending:
            base, source = pending.pop()
            logical = Path(os.path.normpath(base / source))
            target = logical.resolve()
            if not target.is_relative_to(self.modules_dir) or target.parent != self.modules_dir:
                if target.is_relative_to(folder.resolve()):
                    continue  # a sub-folder of the root itself: already in the archive
                raise PackagingError(
                    f"{base}: module source {source!r} escapes the repository's modules/ folder (resolves to {target})"
                )
            if not target.is_dir():
                raise PackagingError(f"{base}: module source {source!r} does not exist (resolves to {target})")
            if target.name in seen:
                continue
            seen.add(target.name)
            self.add_tree(target, f"{prefix}modules/{target.name}/", MODULE_EXCLUDED_DIRS)
            pending.extend((target, nested) for nested in module_sources(target))


def collect(folder: Path, repo: Path, excluded_dirs: frozenset[str] = EXCLUDED_DIRS) -> list[Entry]:
    """The files of ``folder`` as archive entries, sorted, with used modules vendored through ``modules`` links.

    Nested Terraform roots (e.g. model-deploy's ``endpoint/``) vendor their modules next to themselves; vendored
    modules leave out their ``examples/`` and ``tests/`` whatever ``excluded_dirs`` says.
    """
    repo = repo.resolve()
    collector = _Collector(repo=repo, modules_dir=(repo / "modules").resolve())
    collector.add_tree(folder, "", excluded_dirs)
    return [collector.entries[name] for name in sorted(collector.entries)]


def merge_folders(repo: Path, folders: Iterable[str]) -> list[Entry]:
    """The files of several seed folders (paths under ``<repo>/seed_code/``) as one repository, sorted.

    Folders add files to each other, in order (a base, then its overlays); none replaces another's: a path in two
    folders, or a file in one where another has a directory, is refused naming both folders and the path.
    """
    files: dict[str, str] = {}  # path -> the folder holding that file
    dirs: dict[str, str] = {}  # directory path -> the first folder holding it
    merged: list[Entry] = []
    for folder in folders:
        for entry in collect(repo / "seed_code" / folder, repo, SEED_EXCLUDED_DIRS):
            path = entry.arcname
            parents = ["/".join(PurePosixPath(path).parts[:n]) for n in range(1, len(PurePosixPath(path).parts))]
            clash: tuple[str, str, str] | None = None
            if path in files:
                clash = (files[path], path, "a file in both")
            elif path in dirs:
                clash = (dirs[path], path, f"a folder in {dirs[path]}, a file in {folder}")
            else:
                for parent in parents:
                    if parent in files:
                        clash = (files[parent], parent, f"a file in {files[parent]}, a folder in {folder}")
                        break
            if clash is not None:
                other, where, kind = clash
                raise PackagingError(
                    f"seed folders {other} and {folder} both hold {where!r} ({kind}): the folders of a seed-code set "
                    "add files to each other and never replace one; remove or rename it in one of them"
                )
            files[path] = folder
            for parent in parents:
                dirs.setdefault(parent, folder)
            merged.append(entry)
    return sorted(merged, key=lambda e: e.arcname)


# --- writing archives -------------------------------------------------------------------------------------------


def build_tar_gz(entries: Iterable[Entry], epoch: int) -> bytes:
    """A gzip-compressed tar of the entries, byte-identical for identical input."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for entry in sorted(entries, key=lambda e: e.arcname):
            info = tarfile.TarInfo(entry.arcname)
            info.size = len(entry.content)
            info.mtime = epoch
            info.mode = 0o755 if entry.executable else 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(entry.content))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def build_zip(entries: Iterable[Entry], epoch: int) -> bytes:
    """A deflated zip of the entries, byte-identical for identical input."""
    date_time = time.gmtime(epoch)[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in sorted(entries, key=lambda e: e.arcname):
            info = zipfile.ZipInfo(entry.arcname, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (stat.S_IFREG | (0o755 if entry.executable else 0o644)) << 16
            archive.writestr(info, entry.content, compresslevel=9)
    return out.getvalue()


def build_archive(entries: Iterable[Entry], epoch: int, ext: str) -> bytes:
    return build_zip(entries, epoch) if ext == "zip" else build_tar_gz(entries, epoch)


def content_digest(entries: Iterable[Entry]) -> str:
    """What identifies an archive's content whatever its bytes: the sha256 of the compact JSON list of its files'
    ``[path, mode, sha256 of content]``, sorted by path (mode ``"0755"`` for executables, else ``"0644"``)."""
    listing = sorted(
        [e.arcname, "0755" if e.executable else "0644", hashlib.sha256(e.content).hexdigest()] for e in entries
    )
    return hashlib.sha256(json.dumps(listing, separators=(",", ":")).encode()).hexdigest()


def archive_ext(key: str) -> str:
    """``zip`` or ``tar.gz`` from an artifact key."""
    return "tar.gz" if key.endswith(".tar.gz") else key.rsplit(".", 1)[-1]


def read_entries(data: bytes, ext: str) -> list[Entry]:
    """The files of a zip or tar.gz archive (folders and links left out), as archive entries."""
    try:
        if ext == "zip":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return [
                    Entry(info.filename, archive.read(info), bool((info.external_attr >> 16) & stat.S_IXUSR))
                    for info in archive.infolist()
                    if not info.is_dir()
                ]
        if ext == "tar.gz":
            entries: list[Entry] = []
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
                for member in tar.getmembers():
                    stream = tar.extractfile(member) if member.isfile() else None
                    if stream is not None:
                        entries.append(Entry(member.name, stream.read(), bool(member.mode & stat.S_IXUSR)))
            return entries
    except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError) as err:
        raise PackagingError(f"not a readable {ext} archive: {err}") from err
    raise PackagingError(f"unknown archive type {ext!r}")


def archive_content_digest(data: bytes, ext: str) -> str:
    """:func:`content_digest` of an archive's bytes."""
    return content_digest(read_entries(data, ext))


# --- the manifest -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Artifact:
    """One packaged file; ``key`` is both its path under dist/ and its S3 key."""

    kind: str
    name: str
    version: str
    sha256: str
    size: int
    key: str
    content_digest: str = ""  # empty only in manifests written before content digests existed

    @property
    def ident(self) -> tuple[str, str, str]:
        return (self.kind, self.name, self.version)

    @property
    def identity(self) -> str:
        """The digest that identifies the content (the archive's sha256 for artifacts without a content digest)."""
        return self.content_digest or self.sha256

    def same_content(self, other: Artifact) -> bool:
        """Same files, whatever the archive bytes (archive bytes when either predates content digests)."""
        if self.content_digest and other.content_digest:
            return self.content_digest == other.content_digest
        return self.sha256 == other.sha256

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "version": self.version,
            "sha256": self.sha256,
            "content_digest": self.content_digest,
            "size": self.size,
            "key": self.key,
        }


def artifact_key(kind: str, name: str, version: str, digest: str, ext: str) -> str:
    return f"{kind}/{name}/{version}/{digest}.{ext}"


def bump_hint(kind: str, name: str, products: Iterable[str] = (), sets: Iterable[str] = ()) -> str:
    """What to change to publish other content: the file that holds the artifact's version (for seed code used
    through seed-code sets, also the registry)."""
    if kind == "lambdas":
        return f"bump __version__ in {lambda_source(name)}" if name in LAMBDAS else f"bump the version of {name}"
    if kind == "products":
        return f"bump the version in products/{name}/product.yaml"
    files = [f"products/{product}/product.yaml" for product in sorted(set(products))]
    hint = f"bump the version in {' and '.join(files) or f'the product.yaml of the products using seed_code/{name}'}"
    if sets:
        hint += f" (for seed-code set {', '.join(sorted(set(sets)))}: its version in {seed_sets.REGISTRY_FILE})"
    return hint


def read_manifest(path: Path) -> dict[str, Any]:
    """A manifest written by :func:`package` (an empty one when the file does not exist)."""
    if not path.exists():
        return {"format_version": MANIFEST_FORMAT, "artifacts": [], "products": {}}
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: not a valid manifest: {err}") from err
    return parse_manifest(text, str(path))


def parse_manifest(text: str, where: str) -> dict[str, Any]:
    """A manifest from its JSON text; ``where`` (a path or S3 URL) names it in errors."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError(f"{where}: not a valid manifest: {err}") from err
    if not isinstance(data, dict) or data.get("format_version") != MANIFEST_FORMAT:
        raise ConfigError(f"{where}: unsupported manifest (format_version must be {MANIFEST_FORMAT})")
    if not isinstance(data.get("artifacts"), list) or not isinstance(data.get("products"), dict):
        raise ConfigError(f"{where}: a manifest needs an 'artifacts' list and a 'products' mapping")
    return data


def manifest_artifacts(manifest: Mapping[str, Any]) -> list[Artifact]:
    try:
        return [
            Artifact(
                **{k: item[k] for k in ("kind", "name", "version", "sha256", "size", "key")},
                content_digest=str(item.get("content_digest") or ""),
            )
            for item in manifest["artifacts"]
        ]
    except (KeyError, TypeError, AttributeError) as err:
        raise ConfigError(f"manifest artifact entry is incomplete: {err}") from err


def adopt(manifest: dict[str, Any], artifact: Artifact) -> None:
    """Make ``manifest`` describe ``artifact`` (same version and content, other archive bytes, e.g. the ones already
    published): its artifact entry and the product version entries that point at it."""
    manifest["artifacts"] = [
        artifact.as_dict() if (a.kind, a.name, a.version) == artifact.ident else a.as_dict()
        for a in manifest_artifacts(manifest)
    ]
    if artifact.kind == "products" and artifact.name in manifest["products"]:
        details = manifest["products"][artifact.name]["versions"].get(artifact.version)
        if details is not None:
            details.update({"key": artifact.key, "sha256": artifact.sha256, "size": artifact.size})


@dataclass
class PackageResult:
    """What :func:`package` built (``new``) and what was already there with the same content (``unchanged``)."""

    dist: Path
    manifest: dict[str, Any]
    new: list[Artifact] = field(default_factory=list)
    unchanged: list[Artifact] = field(default_factory=list)


@dataclass
class _Packager:
    repo: Path
    dist: Path
    epoch: int
    previous: dict[tuple[str, str, str], Artifact]
    result: PackageResult

    def emit(self, kind: str, name: str, version: str, entries: list[Entry], ext: str, bump: str) -> Artifact:
        """Write the archive of ``entries`` unless this version is already in dist/ with the same content (then the
        earlier archive stays, whatever its bytes); refuse other content under a version already packaged."""
        data = build_archive(entries, self.epoch, ext)
        digest = content_digest(entries)
        sha = hashlib.sha256(data).hexdigest()
        artifact = Artifact(kind, name, version, sha, len(data), artifact_key(kind, name, version, digest, ext), digest)
        earlier = self.previous.get(artifact.ident)
        if earlier is not None:
            if not earlier.same_content(artifact):
                raise PackagingError(
                    f"{kind} {name} version {version} was already packaged with different content "
                    f"(digest {earlier.identity[:12]}..., now {artifact.identity[:12]}...): a version is immutable; "
                    f"{bump} (or remove dist/ if that version was never published)"
                )
            earlier_path = self.dist / earlier.key
            if earlier_path.is_file() and hashlib.sha256(earlier_path.read_bytes()).hexdigest() == earlier.sha256:
                self.result.unchanged.append(earlier)
                return earlier
        path = self.dist / artifact.key
        if path.exists() and path.read_bytes() == data:
            self.result.unchanged.append(artifact)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            self.result.new.append(artifact)
        return artifact


def discover_products(repo: Path, names: Iterable[str] = ()) -> list[Path]:
    """Product folders (``products/<name>/`` holding ``.tf`` files), all or the named ones."""
    root = repo / "products"
    wanted = list(names)
    if wanted:
        folders = [root / name for name in wanted]
        for folder in folders:
            if not folder.is_dir():
                known = ", ".join(sorted(p.name for p in root.iterdir() if p.is_dir())) if root.is_dir() else "none"
                raise ConfigError(f"unknown product {folder.name!r} (known: {known})")
        return folders
    if not root.is_dir():
        raise ConfigError(f"{root}: no products folder")
    return sorted(p for p in root.iterdir() if p.is_dir() and any(p.glob("*.tf")))


def lambda_source(name: str) -> Path:
    return Path(__file__).parent / "lambdas" / LAMBDAS[name]


def lambda_version(name: str) -> str:
    """A Lambda function's version: the ``__version__`` its module states."""
    source = lambda_source(name)
    found = LAMBDA_VERSION_RE.search(source.read_text(encoding="utf-8"))
    if found is None or not VERSION_RE.match(found.group(1)):
        raise PackagingError(f'{source}: no __version__ = "MAJOR.MINOR.PATCH" (the version of function {name})')
    return found.group(1)


def _load_products(repo: Path, product_names: Iterable[str]) -> tuple[list[Product], dict[str, SeedCodeSet]]:
    registry = seed_sets.load_registry(repo)
    seed_root = repo / "seed_code"
    return [load_product(f, seed_root, registry) for f in discover_products(repo, product_names)], registry


def external_sets(repo: Path, product_names: Iterable[str] = ()) -> list[str]:
    """The seed-code sets with an S3 object that packaging the given products (all when none) downloads."""
    products, registry = _load_products(repo.resolve(), product_names)
    return sorted({name for p in products for name in p.seed_code_sets if registry[name].external})


def _external_entries(
    s3: Any, registry: Mapping[str, SeedCodeSet], names: Iterable[str]
) -> dict[tuple[str, str], list[Entry]]:
    """The files of every S3 repository of the named sets, downloaded and verified (before anything is written)."""
    found: dict[tuple[str, str], list[Entry]] = {}
    for name in sorted(set(names)):
        seed_set = registry[name]
        for repository, source in seed_set.repositories.items():
            if source.s3 is None:
                continue
            if s3 is None:
                raise ConfigError(
                    f"seed-code set {name} ({repository}) is the S3 object {source.s3}: packaging it needs an S3 "
                    "client (the CLI makes one from --profile, --region and --endpoint-url)"
                )
            where = f"seed-code set {name} ({repository}): {source.s3}"
            files = seed_sets.read_seed_zip(seed_sets.fetch(s3, seed_set, repository), where)
            found[(name, repository)] = [
                Entry(path, content, executable)
                for path, content, executable in files
                if not _excluded(PurePosixPath(path).name, False, SEED_EXCLUDED_DIRS)
                and not any(part in SEED_EXCLUDED_DIRS for part in PurePosixPath(path).parts[:-1])
            ]
            if not found[(name, repository)]:
                raise PackagingError(f"{where}: the zip holds no files")
    return found


def package(repo: Path, dist: Path, product_names: Iterable[str] = (), s3: Any = None) -> PackageResult:
    """Build the artifacts of the given products (all when none) into ``dist`` and update its manifest.

    ``s3`` (a boto3 S3 client) downloads the S3 objects of the seed-code sets the products allow; every one is
    downloaded and verified before anything is written.
    """
    repo = repo.resolve()
    products, registry = _load_products(repo, product_names)
    allowed = [name for p in products for name in p.seed_code_sets]
    external = _external_entries(s3, registry, allowed)
    # Merged folders are checked (no path in two of them) before anything is written, as S3 objects are.
    overlays = {
        (name, key): merge_folders(repo, source.folders)
        for name in sorted(set(allowed))
        for key, source in registry[name].repositories.items()
        if source.folders is not None
    }
    dist.mkdir(parents=True, exist_ok=True)
    manifest_path = dist / MANIFEST_NAME
    manifest = read_manifest(manifest_path)
    previous = {(a.kind, a.name, a.version): a for a in manifest_artifacts(manifest)}
    result = PackageResult(dist=dist, manifest=manifest)
    packager = _Packager(repo, dist, source_date_epoch(), previous, result)
    seed_root = repo / "seed_code"

    built: dict[tuple[str, str, str], Artifact] = {}
    lambda_keys: dict[str, str] = {}
    for name, filename in sorted(LAMBDAS.items()):
        version = lambda_version(name)
        entries = [Entry(filename, lambda_source(name).read_bytes(), False)]
        entries += [
            Entry(library, (lambda_source(name).parent / library).read_bytes(), False)
            for library in LAMBDA_LIBRARIES.get(name, ())
        ]
        artifact = packager.emit("lambdas", name, version, entries, "zip", bump_hint("lambdas", name))
        built[artifact.ident] = artifact
        lambda_keys[name] = artifact.key

    def seed_artifact(name: str, version: str, bump: str, entries: Callable[[], list[Entry]]) -> str:
        ident = ("seed", name, version)
        if ident not in built:
            built[ident] = packager.emit("seed", name, version, entries(), "zip", bump)
        return built[ident].key

    def folder_entries(relative: str) -> Callable[[], list[Entry]]:
        return lambda: collect(seed_root / relative, repo, SEED_EXCLUDED_DIRS)

    for product in products:
        seed_keys: dict[str, str] = {}
        for key, relative in product.seed_code.items():
            bump = bump_hint("seed", relative, [product.name])
            seed_keys[key] = seed_artifact(relative, product.version, bump, folder_entries(relative))
        set_keys: dict[str, dict[str, str]] = {}
        for set_name in product.seed_code_sets:
            seed_set = registry[set_name]
            set_keys[set_name] = {}
            for key, source in seed_set.repositories.items():
                if source.folder is not None:
                    # A folder set without a version of its own is versioned with the product, as seed_code is.
                    version = seed_set.version or product.version
                    bump = (
                        f"bump the version of seed-code set {set_name} in {seed_sets.REGISTRY_FILE}"
                        if seed_set.version
                        else bump_hint("seed", source.folder, [product.name])
                    )
                    found = seed_artifact(source.folder, version, bump, folder_entries(source.folder))
                elif source.folders is not None:
                    # Merged folders are the set's own repository: named like an S3 set's, versioned like a folder.
                    merged_name = f"{set_name}/{key}"
                    version = seed_set.version or product.version
                    bump = (
                        f"bump the version of seed-code set {set_name} in {seed_sets.REGISTRY_FILE}"
                        if seed_set.version
                        else bump_hint("seed", merged_name, [product.name])
                    )
                    found = seed_artifact(merged_name, version, bump, overlays[(set_name, key)].copy)
                else:
                    assert seed_set.version is not None  # required for S3 sets by the registry
                    bump = f"bump the version of seed-code set {set_name} in {seed_sets.REGISTRY_FILE}"
                    fetched = external[(set_name, key)].copy
                    found = seed_artifact(f"{set_name}/{key}", seed_set.version, bump, fetched)
                set_keys[set_name][key] = found
        if product.seed_code_sets:
            seed_keys = set_keys[product.seed_code_sets[0]]
        entries = [e for e in collect(product.folder, repo) if e.arcname != ARTIFACTS_FILE]
        if seed_keys:
            wiring: dict[str, Any] = {"seed_code_keys": seed_keys}
            if product.seed_code_sets:
                wiring.update({"seed_code_sets": set_keys, "default_seed_code_set": product.seed_code_sets[0]})
            wiring.update({FUNCTION_KEYS[name]: lambda_keys[name] for name in product.functions})
            content = (json.dumps(wiring, indent=2, sort_keys=True) + "\n").encode()
            entries.append(Entry(ARTIFACTS_FILE, content, False))
        if not any(e.arcname.endswith(".tf") and "/" not in e.arcname for e in entries):
            raise PackagingError(f"{product.folder}: no Terraform files at the root of the product")
        bump = bump_hint("products", product.name)
        artifact = packager.emit("products", product.name, product.version, entries, "tar.gz", bump)
        built[artifact.ident] = artifact
        _record_product(manifest, product, artifact, seed_keys, set_keys)

    merged = {(a.kind, a.name, a.version): a for a in manifest_artifacts(manifest)}
    merged.update(built)
    manifest["artifacts"] = [merged[k].as_dict() for k in sorted(merged)]
    manifest["format_version"] = MANIFEST_FORMAT
    manifest_path.write_text(dump_manifest(manifest), encoding="utf-8")
    return result


def _record_product(
    manifest: dict[str, Any],
    product: Product,
    artifact: Artifact,
    seed_keys: dict[str, str],
    set_keys: dict[str, dict[str, str]],
) -> None:
    entry = manifest["products"].setdefault(product.name, {"versions": {}})
    entry.update(
        {
            "name": product.name,
            "owner": product.owner,
            "distributor": product.distributor,
            "description": product.description,
            "support_email": product.support.get("email"),
            "support_url": product.support.get("url"),
            "support_description": product.support.get("description"),
            "deprecated_versions": sorted(product.deprecated_versions, key=semver_key),
            "terraform_required_version": product.terraform_required_version,
        }
    )
    versions: dict[str, Any] = entry["versions"]
    versions[product.version] = {
        "key": artifact.key,
        "sha256": artifact.sha256,
        "size": artifact.size,
        "description": f"{product.name} {product.version}",
        "guidance": "DEFAULT",
        "seed_code_keys": seed_keys,
    }
    if set_keys:
        versions[product.version]["seed_code_sets"] = set_keys
    _settle_versions(entry)


def _settle_versions(entry: dict[str, Any]) -> None:
    """Guidance of every version from the product's deprecated list; the initial (oldest) version."""
    deprecated = set(entry.get("deprecated_versions", []))
    for version, details in entry["versions"].items():
        details["guidance"] = "DEPRECATED" if version in deprecated else "DEFAULT"
    # Service Catalog creates a product with one version; the catalog keeps creating it with the oldest.
    entry["initial_version"] = min(entry["versions"], key=semver_key)


def seed_users(manifest: Mapping[str, Any], key: str) -> list[str]:
    """The products of a manifest with a version that pushes the seed-code artifact at ``key``."""
    return sorted(
        name
        for name, entry in manifest["products"].items()
        if any(
            key in details.get("seed_code_keys", {}).values()
            or any(key in keys.values() for keys in details.get("seed_code_sets", {}).values())
            for details in entry["versions"].values()
        )
    )


def seed_code_sets_using(manifest: Mapping[str, Any], key: str) -> list[str]:
    """The seed-code sets of a manifest's product versions that hold the seed-code artifact at ``key``."""
    return sorted(
        {
            name
            for entry in manifest["products"].values()
            for details in entry["versions"].values()
            for name, keys in details.get("seed_code_sets", {}).items()
            if key in keys.values()
        }
    )


def merge_manifests(published: Mapping[str, Any], local: Mapping[str, Any]) -> dict[str, Any]:
    """The union of a published manifest (the catalog bucket's) and a local one; local metadata wins.

    A version in both with the same content digest keeps its published artifact (the bytes the bucket holds, even
    when the local archive's bytes differ). Refuses, naming the version and the file to bump, when both hold the same
    version with other content: a published version is immutable.
    """
    artifacts = {a.ident: a for a in manifest_artifacts(published)}
    for artifact in manifest_artifacts(local):
        earlier = artifacts.get(artifact.ident)
        if earlier is None:
            artifacts[artifact.ident] = artifact
        elif not earlier.same_content(artifact):
            users = seed_users(local, artifact.key)
            bump = bump_hint(artifact.kind, artifact.name, users, seed_code_sets_using(local, artifact.key))
            raise PackagingError(
                f"{artifact.kind} {artifact.name} version {artifact.version} is already published with other content "
                f"(digest {earlier.identity[:12]}..., local {artifact.identity[:12]}...): {bump}"
            )
    products: dict[str, Any] = json.loads(json.dumps(published["products"]))
    for name, entry in local["products"].items():
        versions = {**products.get(name, {}).get("versions", {}), **entry["versions"]}
        products[name] = {**json.loads(json.dumps(entry)), "versions": json.loads(json.dumps(versions))}
        for version, details in products[name]["versions"].items():
            kept = artifacts.get(("products", name, version))
            if kept is not None:
                details.update({"key": kept.key, "sha256": kept.sha256, "size": kept.size})
        _settle_versions(products[name])
    return {
        "format_version": MANIFEST_FORMAT,
        "artifacts": [artifacts[key].as_dict() for key in sorted(artifacts)],
        "products": products,
    }


def dump_manifest(manifest: Mapping[str, Any]) -> str:
    """The manifest's canonical text (sorted keys), as written to dist/ and to the bucket."""
    return json.dumps(manifest, indent=2, sort_keys=True) + "\n"


def newest_version(versions: Iterable[str]) -> str:
    """The highest semantic version of ``versions``."""
    return max(versions, key=semver_key)


def semver_key(version: str) -> tuple[tuple[int, ...], int, str]:
    """Order of semantic versions: numeric MAJOR.MINOR.PATCH, a pre-release before its release."""
    core, _, pre = version.partition("-")
    return tuple(int(part) for part in core.split(".")), 0 if pre else 1, pre


def iter_files(dist: Path, manifest: Mapping[str, Any]) -> Iterator[tuple[Artifact, Path]]:
    """Each artifact of a manifest with its file under ``dist`` (which may be absent for older versions)."""
    for artifact in manifest_artifacts(manifest):
        path = dist / PurePosixPath(artifact.key)
        yield artifact, path
