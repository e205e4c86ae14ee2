"""Collect plan tests from ``tests/{modules,products,catalog}/<snake_name>/tftest.yaml`` files.

A ``tftest.yaml`` names the folder to plan and its cases::

    module: modules/kms-key          # relative to the repository root
    tests:
      defaults:                      # plans with defaults.tfvars, checks defaults.yaml
      cross_account:
        tfvars: [cross_account.tfvars, common.tfvars]   # optional: other files (beside tftest.yaml)
        inventory: [cross_account.yaml]                 # optional: other inventories
        files: {artifacts.json: two_sets.json}          # optional: files written beside the root (from files
                                                        # beside tftest.yaml), e.g. what `package` adds to a product

Each case becomes one pytest item per configured provider source (``MLOPS_TF_PROVIDERS``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from mlops_templates.toolchain import ProviderSource, provider_sources
from tests.harness import inventory
from tests.harness.paths import REPO, rel
from tests.harness.plans import PlanWarned, planned, session_folder


class PlanCaseFailed(Exception):
    """A plan did not match its inventory."""


def load_spec(path: Path) -> dict[str, Any]:
    """Read and check a tftest.yaml file."""
    spec = yaml.safe_load(path.read_text()) or {}
    if not isinstance(spec, dict) or "module" not in spec or not isinstance(spec.get("tests"), dict):
        raise ValueError(f"{rel(path)}: needs a `module:` folder and a `tests:` mapping of cases")
    target = REPO / spec["module"]
    if not target.is_dir():
        raise ValueError(f"{rel(path)}: module folder {spec['module']} does not exist")
    return spec


def case_files(spec_path: Path, name: str, case: dict[str, Any] | None) -> tuple[list[Path], list[Path]]:
    """The tfvars files and inventories of one case."""
    case = case or {}
    here = spec_path.parent
    tfvars = [here / f for f in case.get("tfvars", [f"{name}.tfvars"])]
    inventories = [here / f for f in case.get("inventory", [f"{name}.yaml"])]
    for f in tfvars + inventories:
        if not f.is_file():
            raise ValueError(f"{rel(spec_path)}: case {name!r} needs {rel(f)}, which does not exist")
    return tfvars, inventories


def case_extra_files(spec_path: Path, name: str, case: dict[str, Any] | None) -> dict[str, str]:
    """The files a case writes into the planned root: ``{name in the root: its content}``."""
    files = (case or {}).get("files") or {}
    if not isinstance(files, dict):
        raise ValueError(f"{rel(spec_path)}: case {name!r}: files must map names in the root to files beside it")
    found: dict[str, str] = {}
    for target, source in files.items():
        path = spec_path.parent / str(source)
        if "/" in str(target) or not path.is_file():
            raise ValueError(f"{rel(spec_path)}: case {name!r}: files.{target} needs {rel(path)}, a root file name")
        found[str(target)] = path.read_text()
    return found


def failure_message(
    module: str, case_name: str, source: ProviderSource, spec_path: Path, error: BaseException
) -> str | None:
    """What a failed plan case says: a mismatch points at the inventory, a warning at the configuration."""
    where = f"plan of {module} (case {case_name}, provider source {source})"
    if isinstance(error, PlanWarned):
        return (
            f"{where} printed warnings, which the suite treats as failures:\n{error}\n\n"
            "Fix the configuration (or the case's tfvars); regenerating the inventory does not help."
        )
    if isinstance(error, PlanCaseFailed):
        return (
            f"{where} does not match its inventory:\n{error}\n\n"
            f"Regenerate the inventory, then review and trim it:\n"
            f"  python -m tests.inventory {rel(spec_path)} {case_name}"
        )
    return None


class TftestFile(pytest.File):
    """A tftest.yaml: one item per case and provider source."""

    def collect(self) -> Iterator[pytest.Item]:
        spec = load_spec(self.path)
        for source in provider_sources():
            for name, case in spec["tests"].items():
                yield PlanCase.from_parent(
                    self, name=f"{name}[{source.label}]", case_name=name, case=case, spec=spec, source=source
                )


class PlanCase(pytest.Item):
    """Plan one case under one provider source and compare with its inventories."""

    def __init__(
        self,
        *,
        case_name: str,
        case: dict[str, Any] | None,
        spec: dict[str, Any],
        source: ProviderSource,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.case_name = case_name
        self.case = case
        self.spec = spec
        self.source = source
        self.add_marker(pytest.mark.terraform)

    def runtest(self) -> None:
        tfvars, inventories = case_files(self.path, self.case_name, self.case)
        cache = session_folder(self.config._tmp_path_factory, "plans")  # type: ignore[attr-defined]
        extra = case_extra_files(self.path, self.case_name, self.case)
        result = planned(cache, REPO / self.spec["module"], tfvars, self.source, extra_files=extra)
        problems: list[str] = []
        for inv_path in inventories:
            expected = yaml.safe_load(inv_path.read_text()) or {}
            problems += [f"{rel(inv_path)}: {p}" for p in inventory.check(expected, result)]
        if problems:
            raise PlanCaseFailed("\n".join(problems))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        message = failure_message(self.spec["module"], self.case_name, self.source, self.path, excinfo.value)
        return message if message is not None else str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"plan {self.spec['module']} {self.case_name} [{self.source.label}]"
