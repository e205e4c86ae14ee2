"""terraform fmt and terraform validate over every module, module example, product and the catalog."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mlops_templates.toolchain import ProviderSource
from tests.harness.paths import REPO, TERRAFORM_ROOTS, rel, root_configs
from tests.harness.terraform import prepare, terraform_binary

ROOTS = root_configs()


def test_fmt_is_clean() -> None:
    folders = [f for f in (*TERRAFORM_ROOTS, "seed_code") if (REPO / f).is_dir()]
    proc = subprocess.run(
        [terraform_binary(), "fmt", "-check", "-recursive", "-list=true", *folders],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    unformatted = [line for line in proc.stdout.splitlines() if ".terraform/" not in line]
    assert proc.returncode == 0 and not unformatted, (
        "terraform fmt would change these files (run `make fmt`):\n" + "\n".join(unformatted) + proc.stderr
    )


def test_there_is_something_to_validate() -> None:
    assert ROOTS, "no Terraform roots found under modules/, products/ or catalog/"


@pytest.mark.terraform
@pytest.mark.parametrize("root", ROOTS, ids=[rel(r) for r in ROOTS])
def test_validate(root: Path, provider_source: ProviderSource, tmp_path: Path) -> None:
    wc = prepare(root, tmp_path, provider_source, inject_provider=False)
    proc = wc.run("validate", "-no-color", check=False)
    assert proc.returncode == 0, f"terraform validate failed for {rel(root)} ({provider_source}):\n{proc.stderr}"
    assert "Warning" not in proc.stdout + proc.stderr, (
        f"terraform validate warns for {rel(root)} ({provider_source}):\n{proc.stdout}{proc.stderr}"
    )
