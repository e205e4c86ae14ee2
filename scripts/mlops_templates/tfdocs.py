"""Generate the inputs/outputs tables of Terraform READMEs (like terraform-docs, with no extra binary).

A README keeps its hand-written part; the table goes between ``<!-- BEGIN_TF_DOCS -->`` and
``<!-- END_TF_DOCS -->``. ``mlops-templates docs`` rewrites them; ``--check`` only reports stale ones.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import hcl2

from mlops_templates.errors import ConfigError

BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            data: dict[str, Any] = hcl2.load(
                handle,
                serialization_options=hcl2.SerializationOptions(strip_string_quotes=True, explicit_blocks=False),
            )
    except Exception as err:  # hcl2 raises lark errors of many kinds
        raise ConfigError(f"{path}: cannot parse as HCL: {err}") from err
    return data


def _clean(expr: Any) -> str:
    text = str(expr)
    match = re.fullmatch(r"\$\{(.*)\}", text, re.S)
    return " ".join((match.group(1) if match else text).split())


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _default(body: dict[str, Any]) -> str:
    if "default" not in body:
        return "n/a (required)"
    value = body["default"]
    if value is None:
        return "`null`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`' if not value.startswith("${") else f"`{_clean(value)}`"
    rendered = re.sub(r"\s+", " ", repr(value)).replace("'", '"').replace("True", "true").replace("False", "false")
    return f"`{rendered}`" if len(rendered) <= 80 else "see variables.tf"


def render(folder: Path) -> str:
    """The generated part of a README for the Terraform folder ``folder``."""
    variables: list[tuple[str, dict[str, Any]]] = []
    outputs: list[tuple[str, dict[str, Any]]] = []
    for tf in sorted(folder.glob("*.tf")):
        data = _load(tf)
        for entry in data.get("variable", []):
            variables += list(entry.items())
        for entry in data.get("output", []):
            outputs += list(entry.items())
    lines = [BEGIN, "## Inputs", ""]
    if variables:
        lines += ["| Name | Description | Type | Default |", "|------|-------------|------|---------|"]
        for name, body in sorted(variables):
            lines.append(
                f"| `{name}` | {_cell(str(body.get('description', '')))} "
                f"| `{_cell(_clean(body.get('type', 'any')))}` | {_cell(_default(body))} |"
            )
    else:
        lines.append("No inputs.")
    lines += ["", "## Outputs", ""]
    if outputs:
        lines += ["| Name | Description |", "|------|-------------|"]
        lines += [f"| `{name}` | {_cell(str(body.get('description', '')))} |" for name, body in sorted(outputs)]
    else:
        lines.append("No outputs.")
    lines.append(END)
    return "\n".join(lines)


def update(readme: Path, check_only: bool = False) -> bool:
    """Rewrite the generated part of ``readme``; return True when it was (or would be) changed."""
    if not readme.is_file():
        raise ConfigError(f"{readme} does not exist: every Terraform module and product needs a README.md")
    text = readme.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise ConfigError(f"{readme} has no {BEGIN} ... {END} markers for the generated inputs/outputs")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    new = head + render(readme.parent) + tail
    if new == text:
        return False
    if not check_only:
        readme.write_text(new, encoding="utf-8")
    return True


def readme_folders(repo: Path) -> list[Path]:
    """Every module and product folder (they all carry a README with generated tables)."""
    folders = [p for p in sorted((repo / "modules").glob("*")) if any(p.glob("*.tf"))]
    folders += [p for p in sorted((repo / "products").glob("*")) if any(p.glob("*.tf"))]
    if any((repo / "catalog").glob("*.tf")):
        folders.append(repo / "catalog")
    return folders
