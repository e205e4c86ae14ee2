"""checkov over modules/, products/ and catalog/ with .checkov.yaml: zero failed checks."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import pytest

from mlops_templates.toolchain import find_checkov
from tests.harness.paths import REPO, TERRAFORM_ROOTS


def _reports(raw: str) -> list[dict[str, Any]]:
    """checkov prints one JSON document (object or list) per scanned directory, one after the other."""
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


@pytest.mark.slow
def test_checkov_reports_no_failed_checks() -> None:
    checkov = find_checkov()
    folders = [f for f in TERRAFORM_ROOTS if (REPO / f).is_dir() and any((REPO / f).rglob("*.tf"))]
    args = [str(checkov.path), "--config-file", ".checkov.yaml", "--output", "json", "--quiet"]
    for folder in folders:
        args += ["--directory", folder]
    proc = subprocess.run(
        args,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"},
    )
    assert proc.stdout.strip(), f"checkov printed nothing (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    failed: list[str] = []
    passed = 0
    for report in _reports(proc.stdout):
        results = report.get("results", {})
        passed += int(report.get("summary", {}).get("passed", 0))
        assert report.get("summary", {}).get("parsing_errors", 0) == 0, f"checkov could not parse: {report}"
        for check in results.get("failed_checks", []):
            failed.append(
                f"{check['check_id']} {check['check_name']}: {check['resource']} "
                f"in {check['file_path']}:{check['file_line_range'][0]}"
            )
    assert not failed, f"checkov found {len(failed)} failed checks:\n" + "\n".join(sorted(failed))
    assert passed > 0, "checkov passed no check at all: is it scanning the right folders?"
