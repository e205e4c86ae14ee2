"""checkov with .checkov.yaml, zero failed checks: over the code of modules/ and catalog/, and over the plan of every
product's plan cases (tests/products/*/tftest.yaml).

A product is a call of the composition (modules/mlops-project, scanned as code in modules/ with its submodules) with
the product's presets. Its plan holds exactly what a project of that product creates, with terraform's own values,
so each product is checked there (``--framework terraform_plan``, enriched from the product's code so that the
inline ``#checkov:skip`` comments apply), instead of checkov re-rendering the whole composition's code for every
product (about 25 s of CPU per product; a plan scan takes about 7 s, and the plan is the one the plan cases use).
Values terraform knows only after apply (the project key's ARN, which the build projects, log groups and pipelines
are encrypted with) count as set (``EVAL_TF_PLAN_AFTER_UNKNOWN``); CKV_AWS_219 is not run on plans, see PLAN_SKIPS.

One checkov run per folder or plan: given several --directory options, checkov 3.3 scans the first one only and
reports it once per option, so one run over several folders would check the first one several times.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from mlops_templates.toolchain import find_checkov, provider_sources
from tests.harness.collector import case_extra_files, case_files, load_spec
from tests.harness.paths import REPO, TERRAFORM_ROOTS, rel
from tests.harness.plans import planned

CODE_FOLDERS = ["modules", "catalog"]
PRODUCT_SPECS = sorted((REPO / "tests" / "products").glob("*/tftest.yaml"))
PRODUCT_CASES = [
    pytest.param(spec, name, id=f"{spec.parent.name}-{name}")
    for spec in PRODUCT_SPECS
    for name in (yaml.safe_load(spec.read_text()) or {}).get("tests", {})
]
# Checks not run on plans, each with its reason (the code scans run them).
PLAN_SKIPS = {
    # The pipelines' artifact store key is the project key, known only after apply; checkov's after-unknown evaluation
    # does not reach the nested artifact_store.encryption_key block. modules/mlops-pipeline's code passes the check.
    "CKV_AWS_219": "CodePipeline artifact store encrypted with a KMS CMK",
}


# A --skip-check option replaces the config file's list: the plan runs pass both.
CONFIG_SKIPS = list(yaml.safe_load((REPO / ".checkov.yaml").read_text()).get("skip-check", []))


def _reports(raw: str) -> list[dict[str, Any]]:
    """checkov prints one JSON document (object or list) per report, one after the other."""
    decoder = json.JSONDecoder()
    reports: list[dict[str, Any]] = []
    position = 0
    while position < len(raw.rstrip()):
        data, end = decoder.raw_decode(raw, position)
        reports += data if isinstance(data, list) else [data]
        position = end
        while position < len(raw) and raw[position].isspace():
            position += 1
    return reports


def _assert_no_failed_checks(*args: str, env: dict[str, str] | None = None) -> dict[str, int]:
    """Run checkov with .checkov.yaml and ``args``; fail on any failed check or parsing error. The summed summary."""
    checkov = find_checkov()
    proc = subprocess.run(
        [str(checkov.path), "--config-file", ".checkov.yaml", "--output", "json", "--quiet", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false", **(env or {})},
    )
    assert proc.stdout.strip(), f"checkov printed nothing (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    failed: list[str] = []
    summary = {"passed": 0, "skipped": 0, "resource_count": 0}
    for report in _reports(proc.stdout):
        for key in summary:
            summary[key] += int(report.get("summary", {}).get(key, 0))
        assert report.get("summary", {}).get("parsing_errors", 0) == 0, f"checkov could not parse: {report}"
        for check in report.get("results", {}).get("failed_checks", []):
            failed.append(
                f"{check['check_id']} {check['check_name']}: {check['resource']} "
                f"in {check['file_path']}:{check['file_line_range'][0]}"
            )
    assert not failed, f"checkov found {len(failed)} failed checks:\n" + "\n".join(sorted(failed))
    assert summary["passed"] > 0, f"checkov passed no check at all ({' '.join(args)})"
    return summary


def test_every_terraform_root_is_scanned() -> None:
    """The code of modules/ and catalog/; every product through the plans of its plan cases."""
    assert sorted([*CODE_FOLDERS, "products"]) == sorted(TERRAFORM_ROOTS)
    planned_products = {load_spec(spec)["module"] for spec in PRODUCT_SPECS}
    products = {rel(p) for p in (REPO / "products").iterdir() if p.is_dir()}
    assert products and products == planned_products, f"products without a plan case: {products - planned_products}"


@pytest.mark.slow
@pytest.mark.parametrize("folder", CODE_FOLDERS)
def test_checkov_reports_no_failed_checks_in_the_code(folder: str) -> None:
    summary = _assert_no_failed_checks("--directory", folder)
    assert summary["resource_count"] > 0, f"checkov found no resource in {folder}"


@pytest.mark.slow
@pytest.mark.parametrize(("spec_path", "case_name"), PRODUCT_CASES)
def test_checkov_reports_no_failed_checks_in_the_products_plans(
    spec_path: Path, case_name: str, plan_cache: Path, tmp_path: Path
) -> None:
    spec = load_spec(spec_path)
    case = spec["tests"][case_name]
    tfvars, _ = case_files(spec_path, case_name, case)
    extra = case_extra_files(spec_path, case_name, case)
    plan = planned(plan_cache, REPO / spec["module"], tfvars, provider_sources()[0], extra)
    created = [r for r in plan["resource_changes"] if r["mode"] == "managed" and "create" in r["change"]["actions"]]
    plan_file = tmp_path / "tfplan.json"  # checkov reads plans from .json files only
    plan_file.write_text(json.dumps(plan))
    summary = _assert_no_failed_checks(
        "--framework", "terraform_plan", "--file", str(plan_file),
        "--repo-root-for-plan-enrichment", spec["module"],
        "--skip-check", ",".join([*CONFIG_SKIPS, *PLAN_SKIPS]),
        env={"EVAL_TF_PLAN_AFTER_UNKNOWN": "true"},
    )  # fmt: skip
    assert created and summary["resource_count"] > 0, f"{spec['module']}: checkov saw no resource of its plan"
