"""Plans shared by the tests of one session.

Several tests read the plan of the same configuration: a plan case checks its inventory, the authorization cases
evaluate its policies, the policy tests and the lint read its documents. A plan is a copy, an init and two
terraform commands (seconds of CPU with the real provider), so each distinct plan (folder, tfvars files, extra
files, provider source) is computed once per session, by whichever xdist worker asks first, and read from the
session's plan folder by the others. The key holds no file contents: the folder lives for one session, in which
the sources do not change.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from mlops_templates.toolchain import ProviderSource
from tests.harness import moto
from tests.harness.paths import rel
from tests.harness.terraform import prepare


class PlanWarned(Exception):
    """Terraform printed warnings while planning: the suite treats them as failures."""


def session_folder(factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder shared by the xdist workers of this session (their base temps have the same parent)."""
    base = factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    folder.mkdir(exist_ok=True)
    return folder


def _key(target: Path, tfvars: Sequence[Path], source: ProviderSource, extra_files: Mapping[str, str]) -> str:
    parts = [str(source), str(target.resolve()), [str(t.resolve()) for t in tfvars], sorted(extra_files.items())]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def planned(
    cache: Path,
    target: Path,
    tfvars: Sequence[Path],
    source: ProviderSource,
    extra_files: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The plan JSON of ``target`` with the tfvars files (and extra files written into the copy) under ``source``,
    planned against this worker's moto server; raises :class:`PlanWarned` when terraform warns."""
    extra = dict(extra_files or {})
    key = _key(target, tfvars, source, extra)
    result = cache / f"{key}.json"
    with (cache / f"{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            wc = prepare(target, cache / key, source, endpoint_url=moto.shared().url, extra_files=extra)
            plan = wc.plan_json(*tfvars)
            warnings = [w for w in wc.last_output.split("\n\n") if "Warning:" in w]
            result.write_text(json.dumps({"plan": plan, "warnings": warnings}))
    loaded: dict[str, Any] = json.loads(result.read_text())
    if loaded["warnings"]:
        raise PlanWarned(f"terraform warns while planning {rel(target)} ({source}):\n" + "\n".join(loaded["warnings"]))
    plan_json: dict[str, Any] = loaded["plan"]
    return plan_json
