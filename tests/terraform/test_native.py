"""`terraform test` in every module, product and catalog folder that has tests/*.tftest.hcl."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlops_templates.toolchain import ProviderSource
from tests.harness.paths import native_test_dirs, rel
from tests.harness.terraform import prepare

DIRS = native_test_dirs()


@pytest.mark.terraform
@pytest.mark.parametrize("folder", DIRS, ids=[rel(d) for d in DIRS])
def test_terraform_test(folder: Path, provider_source: ProviderSource, tmp_path: Path) -> None:
    wc = prepare(folder, tmp_path, provider_source, inject_provider=False)
    proc = wc.run("test", "-no-color", check=False, timeout=900)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"terraform test failed in {rel(folder)} ({provider_source}):\n{output}"
    summary = re.search(r"(\d+) passed, (\d+) failed", output)
    assert summary is not None, f"no summary line from terraform test in {rel(folder)}:\n{output}"
    assert int(summary.group(1)) > 0 and summary.group(2) == "0", output
