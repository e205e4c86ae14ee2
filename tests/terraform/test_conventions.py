"""The repository's Terraform conventions (DESIGN.md), checked on every module, product and the catalog."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import hcl2
import pytest
import yaml

from tests.harness.paths import REPO, TERRAFORM_ROOTS, example_dirs, module_dirs, product_dirs, rel

MODULES = module_dirs()
MODULES_DIR = REPO / "modules"
MODULE_FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")
AWS_CONSTRAINT = ">= 5.100, < 7.0"
TF_CONSTRAINT = ">= 1.9"
SKIP_INLINE = re.compile(r"checkov:skip=([A-Z0-9_]+)(?::(.*))?")


@functools.cache
def _load(path: Path) -> dict[str, Any]:
    """The parsed file (read-only: shared by the tests that read it; python-hcl2 parses slowly, and each file is read by
    up to four tests)."""
    with path.open() as handle:
        data: dict[str, Any] = hcl2.load(
            handle, serialization_options=hcl2.SerializationOptions(strip_string_quotes=True, explicit_blocks=False)
        )
    return data


def _blocks(path: Path, kind: str) -> list[tuple[str, dict[str, Any]]]:
    """(name, body) of every `kind` block (variable, output) in a file, in file order."""
    found: list[tuple[str, dict[str, Any]]] = []
    for entry in _load(path).get(kind, []):
        for name, body in entry.items():
            found.append((name, body))
    return found


def _roots() -> list[Path]:
    roots = MODULES + example_dirs() + product_dirs()
    catalog = REPO / "catalog"
    if any(catalog.glob("*.tf")):
        roots.append(catalog)
    return roots


def test_there_are_modules() -> None:
    assert MODULES, "no modules found"


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_module_layout(module: Path) -> None:
    missing = [f for f in MODULE_FILES if not (module / f).is_file()]
    assert not missing, f"{rel(module)} lacks {missing}"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", module.name), f"module names are kebab-case: {module.name}"
    assert list((module / "examples").glob("*/main.tf")), f"{rel(module)} has no examples/<case>/main.tf"
    snake = module.name.replace("-", "_")
    assert (REPO / "tests" / "modules" / snake / "tftest.yaml").is_file(), f"no plan tests for {rel(module)}"
    assert list((module / "tests").glob("*.tftest.hcl")), f"{rel(module)} has no native tests/*.tftest.hcl"


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_modules_have_no_provider_blocks(module: Path) -> None:
    for tf in module.glob("*.tf"):
        assert "provider" not in _load(tf), f"{rel(tf)} configures a provider: modules must not"


@pytest.mark.parametrize("root", _roots(), ids=[rel(r) for r in _roots()])
def test_versions_pinned(root: Path) -> None:
    versions = root / "versions.tf"
    assert versions.is_file(), f"{rel(root)} has no versions.tf"
    terraform = _load(versions)["terraform"][0]
    assert terraform["required_version"] == TF_CONSTRAINT, f"{rel(versions)}: required_version must be {TF_CONSTRAINT}"
    aws = terraform["required_providers"][0]["aws"]
    assert aws["source"] == "hashicorp/aws" and aws["version"] == AWS_CONSTRAINT, (
        f"{rel(versions)}: hashicorp/aws must be pinned to {AWS_CONSTRAINT!r}, found {aws}"
    )


def shared_parameters(tf: Path) -> bool:
    """A product's link to Studio parameters several products declare (modules/<name>/studio-parameters/*.tf):
    Terraform has no include, and the engine offers only the root's variables as parameters."""
    target = tf.resolve()
    return tf.is_symlink() and target.parent.name == "studio-parameters" and target.parent.parent.parent == MODULES_DIR


@pytest.mark.parametrize("root", _roots(), ids=[rel(r) for r in _roots()])
def test_variables_typed_described_sorted(root: Path) -> None:
    variables: list[tuple[str, dict[str, Any]]] = []
    for tf in sorted(root.glob("*.tf")):
        declared = _blocks(tf, "variable")
        variables += declared
        if tf.name != "variables.tf":
            assert shared_parameters(tf) or not declared, f"{rel(tf)}: variables belong in variables.tf"
        names = [n for n, _ in declared]
        assert names == sorted(names), f"{rel(tf)}: variables are not alphabetical: {names}"
    for name, body in variables:
        assert "type" in body, f"{rel(root)}: variable {name} has no type"
        assert str(body.get("description", "")).strip(), f"{rel(root)}: variable {name} has no description"
    names = [n for n, _ in variables]
    assert len(names) == len(set(names)), f"{rel(root)}: a variable is declared twice: {names}"


@pytest.mark.parametrize("root", _roots(), ids=[rel(r) for r in _roots()])
def test_outputs_described_sorted(root: Path) -> None:
    outputs: list[tuple[str, dict[str, Any]]] = []
    for tf in sorted(root.glob("*.tf")):
        outputs += _blocks(tf, "output")
        if tf.name != "outputs.tf":
            assert not _blocks(tf, "output"), f"{rel(tf)}: outputs belong in outputs.tf"
    for name, body in outputs:
        assert str(body.get("description", "")).strip(), f"{rel(root)}: output {name} has no description"
    names = [n for n, _ in outputs]
    assert names == sorted(names), f"{rel(root)}/outputs.tf: outputs are not alphabetical: {names}"


def test_every_inline_checkov_skip_has_a_reason() -> None:
    bad: list[str] = []
    for folder in TERRAFORM_ROOTS:
        for tf in sorted((REPO / folder).rglob("*.tf")) if (REPO / folder).is_dir() else []:
            if ".terraform" in tf.parts:
                continue
            for number, line in enumerate(tf.read_text().splitlines(), 1):
                match = SKIP_INLINE.search(line)
                if match and len((match.group(2) or "").strip()) < 15:
                    bad.append(f"{rel(tf)}:{number}: {line.strip()}")
    assert not bad, "checkov skips need a written reason (checkov:skip=ID:reason):\n" + "\n".join(bad)


def test_every_config_checkov_skip_has_a_reason() -> None:
    config = REPO / ".checkov.yaml"
    data = yaml.safe_load(config.read_text()) or {}
    skips = data.get("skip-check", []) or []
    lines = config.read_text().splitlines()
    for skip in skips:
        line = next((ln for ln in lines if re.match(rf"\s*-\s*{re.escape(skip)}\b", ln)), "")
        reason = line.partition("#")[2].strip()
        assert len(reason) >= 15, f".checkov.yaml: skip {skip} needs a reason as a comment on its line"
