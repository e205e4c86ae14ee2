"""checkov over the code of modules/, products/ and catalog/ with .checkov.yaml: zero failed checks.

One checkov run per scanned folder: modules/, catalog/ and each product (a product's scan evaluates the composition
with the product's inputs, about 25 s of CPU each; one test per product spreads them over the workers). The
composition, modules/mlops-project, is scanned as the products call it, once per product (every kind of project is a
product), not once more with its defaults in the modules/ run; its submodules are scanned there too. Given several
--directory options, checkov 3.3 scans the first one only and reports it once per option, so one run over several
folders would check the first one several times and the others never.

(Scanning the products' plans instead, --framework terraform_plan, is faster but wrong here: the KMS key ARNs a
product passes to its CodeBuild projects, log groups and pipelines are known only after apply, and checkov reads
them as missing encryption.)
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import pytest

from mlops_templates.toolchain import find_checkov
from tests.harness.paths import REPO, TERRAFORM_ROOTS, rel

PRODUCTS = sorted(rel(p.parent) for p in (REPO / "products").glob("*/main.tf"))
COMPOSITION = "modules/mlops-project"
FOLDERS = ["modules", "catalog", *PRODUCTS]
# checkov's --skip-path is a regular expression over the scanned paths.
SKIPPED = {"modules": [COMPOSITION]}


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


def _assert_no_failed_checks(*args: str) -> dict[str, int]:
    """Run checkov with .checkov.yaml and ``args``; fail on any failed check or parsing error. The summed summary."""
    checkov = find_checkov()
    proc = subprocess.run(
        [str(checkov.path), "--config-file", ".checkov.yaml", "--output", "json", "--quiet", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"},
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
    """modules/ and catalog/ as a whole, products/ product by product (every folder of products/ is a product)."""
    assert sorted(TERRAFORM_ROOTS) == ["catalog", "modules", "products"]
    assert PRODUCTS and sorted(rel(p) for p in (REPO / "products").iterdir() if p.is_dir()) == PRODUCTS
    for product in PRODUCTS:  # so the composition skipped in the modules/ run is scanned through each of them
        assert f'source = "./{COMPOSITION}"' in " ".join((REPO / product / "main.tf").read_text().split()), product


@pytest.mark.slow
@pytest.mark.parametrize("folder", FOLDERS)
def test_checkov_reports_no_failed_checks(folder: str) -> None:
    skips = [arg for path in SKIPPED.get(folder, []) for arg in ("--skip-path", path)]
    summary = _assert_no_failed_checks("--directory", folder, *skips)
    assert summary["resource_count"] > 0, f"checkov found no resource in {folder}"
