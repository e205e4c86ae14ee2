"""Regenerate a plan-test inventory: ``python -m tests.inventory <tftest.yaml> <case> [--write]``.

Plans the case under every configured provider source and keeps only the values the sources agree on
(so an inventory never depends on which provider version ran). Prints the YAML, or writes it over the
case's inventory with ``--write``. Review the result and trim it to what the test should assert.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from mlops_templates.toolchain import provider_sources
from tests.harness import inventory
from tests.harness.collector import case_extra_files, case_files, load_spec
from tests.harness.paths import REPO
from tests.harness.plans import planned


def common(a: Any, b: Any) -> Any:
    """The part of two generated inventories that is equal in both (None when nothing is)."""
    if isinstance(a, dict) and isinstance(b, dict):
        kept = {k: common(a[k], b[k]) for k in a if k in b}
        return {k: v for k, v in kept.items() if v is not None}
    return a if a == b else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("spec", type=Path, help="the tftest.yaml file")
    parser.add_argument("case", help="the case name")
    parser.add_argument("--write", action="store_true", help="overwrite the case's inventory file")
    args = parser.parse_args(argv)
    spec = load_spec(args.spec.resolve())
    if args.case not in spec["tests"]:
        parser.error(f"{args.spec} has no case {args.case!r} (cases: {', '.join(spec['tests'])})")
    tfvars, inventories = case_files(args.spec.resolve(), args.case, spec["tests"][args.case])
    merged: Any = None
    for source in provider_sources():
        with tempfile.TemporaryDirectory() as scratch:
            extra = case_extra_files(args.spec.resolve(), args.case, spec["tests"][args.case])
            generated = inventory.generate(planned(Path(scratch), REPO / spec["module"], tfvars, source, extra))
        merged = generated if merged is None else common(merged, generated)
    text = yaml.safe_dump(merged, sort_keys=False, width=120)
    if args.write:
        inventories[0].write_text(text)
        sys.stderr.write(f"wrote {inventories[0]}\n")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
