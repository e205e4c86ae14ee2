"""`terraform test` in every module, product and catalog folder that has tests/*.tftest.hcl.

Under the first provider source only (the real provider where one is configured): every test file replaces the
provider with `mock_provider "aws"`, so the provider contributes its schema and nothing else, and each folder's
configuration is validated and planned against both schemas (v5 and v6) by test_static.py and the plan cases.
Running them under the stand-in too doubled their cost (about 90 s of CPU) for no other check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mlops_templates.toolchain import ProviderSource, provider_sources
from tests.harness.paths import native_test_dirs, rel
from tests.harness.terraform import prepare

DIRS = native_test_dirs()
FIRST_SOURCE = provider_sources()[:1]


@pytest.mark.terraform
@pytest.mark.parametrize("source", FIRST_SOURCE, ids=[s.label for s in FIRST_SOURCE])
@pytest.mark.parametrize("folder", DIRS, ids=[rel(d) for d in DIRS])
def test_terraform_test(folder: Path, source: ProviderSource, tmp_path: Path) -> None:
    wc = prepare(folder, tmp_path, source, inject_provider=False)
    proc = wc.run("test", "-no-color", check=False, timeout=900)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"terraform test failed in {rel(folder)} ({source}):\n{output}"
    summary = re.search(r"(\d+) passed, (\d+) failed", output)
    assert summary is not None, f"no summary line from terraform test in {rel(folder)}:\n{output}"
    assert int(summary.group(1)) > 0 and summary.group(2) == "0", output
