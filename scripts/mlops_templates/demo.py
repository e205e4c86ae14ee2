"""`mlops-templates demo`: the README's main job.

Without AWS credentials (or with ``--emulator``) it runs against the embedded local AWS emulator (a moto
server on 127.0.0.1 that it starts and stops): it checks the toolchain and plans every module example,
then prints what each would create. Each step is shown as it runs; any failure exits non-zero.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from mlops_templates import doctor, emulator, tfrun
from mlops_templates.errors import CheckFailed
from mlops_templates.toolchain import provider_sources


@dataclass(frozen=True)
class PlannedRoot:
    """What the plan of one root configuration creates."""

    path: str
    resources: dict[str, int]


def _examples(repo: Path) -> list[Path]:
    return sorted(p.parent for p in repo.glob("modules/*/examples/*/main.tf"))


def plan_examples(repo: Path, console: Console, endpoint_url: str) -> list[PlannedRoot]:
    """Plan every module example against the emulator under the first configured provider source."""
    source = provider_sources()[0]
    planned: list[PlannedRoot] = []
    for example in _examples(repo):
        with console.status(f"planning {tfrun.rel(example)} ({source.label})"), tempfile.TemporaryDirectory() as tmp:
            wc = tfrun.prepare(example, Path(tmp), source, endpoint_url=endpoint_url)
            plan = wc.plan_json()
        types = Counter(
            rc["type"]
            for rc in plan.get("resource_changes", [])
            if rc.get("mode") == "managed" and "create" in rc["change"]["actions"]
        )
        planned.append(PlannedRoot(tfrun.rel(example), dict(sorted(types.items()))))
        console.print(f"[green]✓[/] planned {tfrun.rel(example)}: {sum(types.values())} resources to create")
    return planned


def run(repo: Path, console: Console) -> list[PlannedRoot]:
    """Run the demo on the local emulator; raise CheckFailed on any failed step."""
    started = time.monotonic()
    console.rule("1. toolchain")
    checks = doctor.run_checks()
    for check in checks:
        mark = "[green]✓[/]" if check.ok else ("[red]✗[/]" if check.required else "[yellow]•[/]")
        console.print(f"{mark} {check.name}: {check.detail}")
    if not all(c.ok for c in checks if c.required and c.name.startswith(("terraform", "aws provider"))):
        raise CheckFailed("the demo needs terraform and an AWS provider source: see `mlops-templates doctor`")

    console.rule("2. local AWS emulator")
    server = emulator.start()
    console.print(f"[green]✓[/] moto server on {server.url}")
    try:
        console.rule("3. plan the module examples")
        planned = plan_examples(repo, console, server.url)
    finally:
        server.stop()
        console.print("[green]✓[/] emulator stopped")

    table = Table(title="what each example creates")
    table.add_column("root configuration")
    table.add_column("resources")
    for root in planned:
        table.add_row(root.path, "\n".join(f"{n} x {t}" for t, n in root.resources.items()))
    console.print(table)
    console.print(f"demo finished in {time.monotonic() - started:.0f}s")
    return planned
