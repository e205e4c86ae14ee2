"""`mlops-templates doctor`: is everything the tests and the demo need on this machine?"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from mlops_templates.errors import MlopsTemplatesError, ToolchainError
from mlops_templates.toolchain import (
    DISTRIBUTION,
    EXTRA_MODULES,
    PROVIDERS_SETTING,
    find_checkov,
    find_terraform,
    missing_modules,
    provider_sources,
)


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report."""

    name: str
    ok: bool
    detail: str
    required: bool = True


def run_checks(environ: Mapping[str, str] | None = None) -> list[Check]:
    """Run every check; never raises for a missing tool (that is what the report is for)."""
    env = dict(os.environ if environ is None else environ)
    checks: list[Check] = []

    try:
        tf = find_terraform(env)
        checks.append(Check("terraform", True, f"{tf.version} at {tf.path}"))
    except ToolchainError as err:
        checks.append(Check("terraform", False, str(err)))

    try:
        sources = provider_sources(env)
    except MlopsTemplatesError as err:
        checks.append(Check("aws provider", False, str(err)))
        sources = []
    for source in sources:
        problems = source.problems()
        if problems:
            checks.append(Check(f"aws provider ({source.label})", False, "; ".join(problems)))
        elif source.kind == "registry":
            checks.append(
                Check(
                    "aws provider (registry)",
                    True,
                    "terraform init downloads hashicorp/aws from the public registry (needs network; "
                    f"set {PROVIDERS_SETTING} for an air-gapped machine)",
                )
            )
        else:
            versions = ", ".join(source.versions()) or "a network mirror"
            checks.append(Check(f"aws provider ({source.label})", True, f"{versions} from {source.path}"))

    try:
        ck = find_checkov(env)
        checks.append(Check("checkov", True, f"{ck.version} at {ck.path}"))
    except ToolchainError as err:
        checks.append(Check("checkov", False, str(err)))

    checks.append(_git_check(env))
    checks.append(_aws_check(env))
    checks += [_extra_check(extra) for extra in EXTRA_MODULES]
    return checks


def _extra_check(extra: str) -> Check:
    """Whether the Python packages of an optional extra are installed; informational (only one command needs it)."""
    missing = missing_modules(extra)
    if missing:
        detail = f"missing {', '.join(missing)}: pip install '{DISTRIBUTION}[{extra}]' (for `mlops-templates {extra}`)"
        return Check(f"python extra [{extra}]", False, detail, required=False)
    return Check(f"python extra [{extra}]", True, f"installed (`mlops-templates {extra}` can run)", required=False)


def _git_check(env: Mapping[str, str]) -> Check:
    """git and its http-backend: the demo's local git host serves the third-party git project with them."""
    git = shutil.which("git", path=env.get("PATH"))
    if git is None:
        return Check("git", False, "git not found on PATH (the demo's local git host needs git http-backend)", False)
    try:
        proc = subprocess.run([git, "--exec-path"], capture_output=True, text=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as err:
        return Check("git", False, f"{git} --exec-path failed: {err}", False)
    backend = Path(proc.stdout.strip()) / "git-http-backend"
    if not backend.is_file():
        return Check("git", False, f"{backend} is missing (install git's http-backend, e.g. the git package)", False)
    return Check("git", True, f"{git} with {backend}", False)


def _aws_check(env: Mapping[str, str]) -> Check:
    """Which credentials and endpoint boto3 would use; informational (the tests use a local emulator)."""
    import boto3  # local import: boto3 is slow to import and only this check needs it

    session = boto3.Session(profile_name=env.get("AWS_PROFILE") or None) if env.get("AWS_PROFILE") else None
    try:
        session = session or boto3.Session()
        creds = session.get_credentials()
    except Exception as err:
        return Check("aws credentials", False, f"cannot load: {err}", required=False)
    endpoint = env.get("AWS_ENDPOINT_URL") or "the AWS public endpoints"
    region = session.region_name or "no region set"
    if creds is None:
        return Check(
            "aws credentials",
            False,
            f"none found (fine for the tests and the demo, which use a local emulator); region: {region}",
            required=False,
        )
    return Check(
        "aws credentials", True, f"{creds.method} credentials, region {region}, endpoint {endpoint}", required=False
    )


def healthy(checks: list[Check]) -> bool:
    """True when every required check passed."""
    return all(c.ok for c in checks if c.required)


def as_json(checks: list[Check]) -> dict[str, object]:
    """Machine-readable form of the report."""
    return {"ok": healthy(checks), "checks": [asdict(c) for c in checks]}
