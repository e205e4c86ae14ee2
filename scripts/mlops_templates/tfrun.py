"""Terraform working copies: copy a root config, point the provider at an emulator, init with a provider source.

The tests and the demo work on scratch copies of the repository's Terraform (``modules/`` plus the folder
under test, laid out as in the repo so relative module sources and the products' ``modules`` symlink
resolve), so parallel inits never collide and nothing is written into the source tree. The repository is the
one holding the folder worked on (or the working directory), never the place this package is installed in.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlops_templates.errors import ConfigError, ToolchainError
from mlops_templates.toolchain import PROVIDER_ADDRESS, PROVIDERS_SETTING, ProviderSource, find_terraform

REGION = "eu-west-1"
IGNORED = shutil.ignore_patterns(".terraform", "*.tfstate*", ".terraform.tfstate.lock.info", "plan.bin", "__pycache__")
_PROVIDER_BLOCK = re.compile(r'^\s*provider\s+"aws"\s*\{', re.M)
_BACKEND_BLOCK = re.compile(r'^\s*backend\s+"[a-z0-9_]+"\s*\{', re.M)
# What a folder needs to be the root of a repository of this project.
REPO_MARKERS = ("modules", "products")
# terraform init output when it cannot reach the public registry (DNS, proxy, firewall).
_REGISTRY_UNREACHABLE = re.compile(
    r"could not connect to registry\.terraform\.io|Failed to query available provider packages|"
    r"Failed to retrieve available versions|failed to request discovery document",
    re.I,
)


def is_repo(folder: Path) -> bool:
    """Whether ``folder`` is the root of a repository of this project (it holds modules/ and products/)."""
    return all((folder / marker).is_dir() for marker in REPO_MARKERS)


def find_repo(start: Path, strict: bool = False) -> Path:
    """The repository root holding ``start`` (walking up), or ``start`` itself when ``strict``.

    Never derived from this package's location: an installed (non-editable) package lives in site-packages.
    """
    start = start.resolve()
    candidates = [start] if strict else [start, *start.parents]
    for folder in candidates:
        if is_repo(folder):
            return folder
    where = f"{start} is not" if strict else f"neither {start} nor a folder above it is"
    raise ConfigError(
        f"{where} a sagemaker-mlops-templates repository (a folder holding {' and '.join(REPO_MARKERS)}/): "
        "run the command inside the repository or pass --repo"
    )


def terraform_binary() -> str:
    """The terraform executable (checked: >= 1.9)."""
    return str(find_terraform().path)


def cache_dir() -> Path:
    """The shared plugin cache (one download per provider version): TF_PLUGIN_CACHE_DIR, else ``.cache/`` of the
    repository holding the working directory, else the user's cache folder."""
    configured = os.environ.get("TF_PLUGIN_CACHE_DIR")
    if configured:
        path = Path(configured)
    else:
        try:
            path = find_repo(Path.cwd()) / ".cache" / "terraform-plugins"
        except ConfigError:
            user_cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
            path = user_cache / "mlops-templates" / "terraform-plugins"
    path.mkdir(parents=True, exist_ok=True)
    return path


def base_env(source: ProviderSource, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for terraform: fake credentials, no checkpoint, shared plugin cache, ``extra``, the provider
    source."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "TF_LOG"}
    env.update(
        {
            "AWS_ACCESS_KEY_ID": "mock_access_key",
            "AWS_SECRET_ACCESS_KEY": "mock_secret_key",
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_EC2_METADATA_DISABLED": "true",
            "CHECKPOINT_DISABLE": "1",
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "TF_PLUGIN_CACHE_DIR": str(cache_dir()),
            "TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE": "1",
        }
    )
    env.update(extra or {})
    return source.env(env)


def provider_override(endpoint_url: str | None) -> str:
    """HCL of the provider settings the harness injects (as the Service Catalog engine injects its own).

    With an emulator, the endpoint itself is not in the HCL but in the environment (:func:`emulator_env`): an
    ``endpoints`` block costs the real provider seconds of CPU to validate at every command, and the SDK's
    ``AWS_ENDPOINT_URL`` sends every service there, so none can reach AWS by being left off a list."""
    lines = [
        f'  region                      = "{REGION}"',
        '  access_key                  = "mock_access_key"',
        '  secret_key                  = "mock_secret_key"',
        "  skip_credentials_validation = true",
        "  skip_metadata_api_check     = true",
        "  skip_region_validation      = true",
        "  max_retries                 = 2",
    ]
    if endpoint_url:
        lines.append("  s3_use_path_style           = true")
    else:
        lines.append("  skip_requesting_account_id  = true")
    return 'provider "aws" {\n' + "\n".join(lines) + "\n}\n"


def emulator_env(endpoint_url: str | None) -> dict[str, str]:
    """Environment of the provider process when the copy runs against an emulator: every AWS SDK client the
    provider creates uses ``endpoint_url``."""
    return {"AWS_ENDPOINT_URL": endpoint_url} if endpoint_url else {}


@dataclass
class WorkingCopy:
    """A scratch copy of one Terraform root, initialised for one provider source."""

    root: Path  # the copied folder terraform runs in
    source: ProviderSource
    env: dict[str, str]
    init_output: str = ""
    last_output: str = ""  # stdout + stderr of the last command run
    notes: list[str] = field(default_factory=list)

    def run(self, *args: str, check: bool = True, timeout: int = 600) -> subprocess.CompletedProcess[str]:
        """Run ``terraform <args>`` in the copy; on failure raise with the command and its output."""
        cmd = [terraform_binary(), *args]
        proc = subprocess.run(
            cmd, cwd=self.root, env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        self.last_output = proc.stdout + proc.stderr
        if check and proc.returncode != 0:
            raise self.failure(args, proc)
        return proc

    def failure(self, args: tuple[str, ...], proc: subprocess.CompletedProcess[str]) -> AssertionError:
        """The error of a failed command: the command, where it ran, and its output."""
        return AssertionError(
            f"`terraform {' '.join(args)}` failed in {self.root} ({self.source}):\n{proc.stdout}\n{proc.stderr}"
        )

    def plan_json(self, *var_files: Path) -> dict[str, Any]:
        """``terraform plan`` with the given var files, then ``show -json``: the plan as JSON."""
        self.run("plan", "-no-color", "-input=false", "-out=plan.bin", *[f"-var-file={f}" for f in var_files])
        plan_output = self.last_output
        result: dict[str, Any] = json.loads(self.run("show", "-json", "plan.bin").stdout)
        self.last_output = plan_output
        return result


def _copy_layout(target: Path, scratch: Path) -> Path:
    """Copy ``modules/`` and the top-level folder holding ``target`` into ``scratch``; return the copy of target."""
    target = target.resolve()
    repo = find_repo(target)
    relative = target.relative_to(repo)
    top = relative.parts[0]
    shutil.copytree(repo / "modules", scratch / "modules", ignore=IGNORED, symlinks=True)
    if top != "modules":
        shutil.copytree(repo / top, scratch / top, ignore=IGNORED, symlinks=True)
    return scratch / relative


def _locked_version(lock: Path) -> str | None:
    match = re.search(rf'provider "{re.escape(PROVIDER_ADDRESS)}"\s*\{{\s*version\s*=\s*"([^"]+)"', lock.read_text())
    return match.group(1) if match else None


@contextlib.contextmanager
def _first_init_lock(source: ProviderSource) -> Iterator[None]:
    """Serialise inits across xdist workers: Terraform's plugin cache is not safe for concurrent writers."""
    lock_path = cache_dir() / f".init-{source.kind}.lock"
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare(
    target: Path,
    scratch: Path,
    source: ProviderSource,
    endpoint_url: str | None = None,
    inject_provider: bool = True,
    extra_files: Mapping[str, str] | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> WorkingCopy:
    """Copy ``target`` into ``scratch``, add the harness provider settings, and ``terraform init`` it.

    A root with its own ``provider "aws"`` block gets the settings as an ``_override.tf`` file (merged by
    Terraform the way the Service Catalog engine merges its ``provider_override.tf.json``); a root without
    one (a module planned directly) gets them as a plain provider block.
    """
    root = _copy_layout(target, scratch)
    if inject_provider:
        has_block = any(_PROVIDER_BLOCK.search(p.read_text()) for p in root.glob("*.tf"))
        name = "zz_harness_override.tf" if has_block else "zz_harness_provider.tf"
        (root / name).write_text(provider_override(endpoint_url))
    if any(_BACKEND_BLOCK.search(p.read_text()) for p in root.glob("*.tf")):
        # Root configs that keep their state remotely (the deploy step's endpoint config) plan locally here.
        (root / "zz_harness_backend_override.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    for name, content in (extra_files or {}).items():
        (root / name).write_text(content)
    return init(root, source, {**emulator_env(endpoint_url), **(extra_env or {})})


def init(root: Path, source: ProviderSource, extra_env: Mapping[str, str] | None = None) -> WorkingCopy:
    """``terraform init`` a root configuration where it is (e.g. an unpacked product artifact) for ``source``.

    A lock file pinning a provider version the source does not offer is dropped (and noted): the lock file
    records the registry's 5.100.0, the schema stand-in serves 6.x.
    """
    wc = WorkingCopy(root=root, source=source, env=base_env(source, extra_env))
    lock = root / ".terraform.lock.hcl"
    if lock.exists():
        locked = _locked_version(lock)
        offered = source.versions()
        if source.kind != "registry" and locked not in offered:
            lock.unlink()
            wc.notes.append(f"lock file pins {locked}; {source} offers {offered}: initialised without it")
    args = ("init", "-no-color", "-input=false", *source.init_args())
    warm = cache_dir() / f".warm-{source.kind}"
    if warm.exists():
        wc.init_output = _init(wc, args)
    else:
        with _first_init_lock(source):
            wc.init_output = _init(wc, args)
            warm.touch()
    return wc


def _init(wc: WorkingCopy, args: tuple[str, ...]) -> str:
    """Run ``terraform init``; when the registry cannot be reached, say how to install the provider offline."""
    proc = wc.run(*args, check=False)
    if proc.returncode != 0 and wc.source.kind == "registry" and _REGISTRY_UNREACHABLE.search(wc.last_output):
        raise ToolchainError(
            "terraform init cannot reach the public registry (registry.terraform.io) to install hashicorp/aws. "
            f"On a machine without access to it, point {PROVIDERS_SETTING} at a local copy of the provider: "
            f"{PROVIDERS_SETTING}=plugin-dir:<folder in the filesystem-mirror layout, e.g. /opt/tf-plugins> or "
            f"{PROVIDERS_SETTING}=cli-config:<Terraform CLI config whose provider_installation names a mirror> "
            f"(see `mlops-templates doctor`). terraform said:\n{proc.stderr.strip()}"
        )
    if proc.returncode != 0:
        raise wc.failure(args, proc)
    return proc.stdout
