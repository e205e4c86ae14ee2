"""The generated inputs/outputs tables of READMEs: up to date, and generated correctly."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_templates import tfdocs
from mlops_templates.errors import ConfigError
from tests.harness.paths import REPO, rel

FOLDERS = tfdocs.readme_folders(REPO)


@pytest.mark.parametrize("folder", FOLDERS, ids=[rel(f) for f in FOLDERS])
def test_readme_tables_are_current(folder: Path) -> None:
    assert not tfdocs.update(folder / "README.md", check_only=True), (
        f"{rel(folder)}/README.md is out of date: run `mlops-templates docs`"
    )


def test_render_lists_inputs_and_outputs(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text(
        'variable "b" {\n  description = "Bee | pipe"\n  type = number\n  default = 3\n}\n'
        'variable "a" {\n  description = "Ay"\n  type = list(string)\n}\n'
    )
    (tmp_path / "outputs.tf").write_text('output "z" {\n  description = "Zed"\n  value = 1\n}\n')
    (tmp_path / "README.md").write_text(f"# t\n\nhand-written\n\n{tfdocs.BEGIN}\nold\n{tfdocs.END}\ntrailer\n")
    assert tfdocs.update(tmp_path / "README.md") is True
    text = (tmp_path / "README.md").read_text()
    assert "hand-written" in text and text.endswith("trailer\n")
    assert "| `a` | Ay | `list(string)` | n/a (required) |" in text
    assert "| `b` | Bee \\| pipe | `number` | `3` |" in text
    assert text.index("| `a`") < text.index("| `b`")
    assert "| `z` | Zed |" in text
    assert tfdocs.update(tmp_path / "README.md") is False


def test_readme_without_markers_is_refused(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# no markers\n")
    with pytest.raises(ConfigError, match=r"no <!-- BEGIN_TF_DOCS --> \.\.\. <!-- END_TF_DOCS --> markers"):
        tfdocs.update(tmp_path / "README.md")
