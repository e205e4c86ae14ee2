"""The `mlops-templates` command line. The only place where errors become exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from mlops_templates import __version__, aws, demo, doctor, packaging, tfdocs
from mlops_templates import upload as uploading
from mlops_templates.errors import CheckFailed, MlopsTemplatesError

Handler = Callable[[argparse.Namespace, Console], int]


def _cmd_version(args: argparse.Namespace, console: Console) -> int:
    if args.json:
        console.print_json(json.dumps({"version": __version__}))
    else:
        console.print(f"mlops-templates {__version__}")
    return 0


def _cmd_doctor(args: argparse.Namespace, console: Console) -> int:
    checks = doctor.run_checks()
    if args.json:
        console.print_json(json.dumps(doctor.as_json(checks)))
    else:
        table = Table(title="mlops-templates doctor")
        table.add_column("check")
        table.add_column("status")
        table.add_column("detail", overflow="fold")
        for check in checks:
            status = "[green]ok[/]" if check.ok else ("[red]MISSING[/]" if check.required else "[yellow]note[/]")
            table.add_row(check.name, status, check.detail)
        console.print(table)
    if not doctor.healthy(checks):
        missing = ", ".join(c.name for c in checks if c.required and not c.ok)
        raise CheckFailed(f"not ready: {missing} (see the detail column)")
    return 0


def _cmd_docs(args: argparse.Namespace, console: Console) -> int:
    repo = Path(args.repo).resolve()
    stale = [folder for folder in tfdocs.readme_folders(repo) if tfdocs.update(folder / "README.md", args.check)]
    for folder in stale:
        console.print(f"{'stale' if args.check else 'updated'}: {folder.relative_to(repo)}/README.md")
    if args.check and stale:
        raise CheckFailed(f"{len(stale)} README(s) out of date: run `mlops-templates docs`")
    return 0


def _cmd_demo(args: argparse.Namespace, console: Console) -> int:
    demo.run(Path(args.repo).resolve(), console)
    return 0


def _cmd_package(args: argparse.Namespace, console: Console) -> int:
    result = packaging.package(Path(args.repo).resolve(), Path(args.dist), args.products)
    if args.json:
        console.print_json(
            json.dumps(
                {
                    "dist": str(result.dist),
                    "built": [a.as_dict() for a in result.new],
                    "unchanged": [a.as_dict() for a in result.unchanged],
                }
            )
        )
        return 0
    table = Table(title=f"packaged into {result.dist}")
    for column in ("kind", "name", "version", "size", "sha256", "state"):
        table.add_column(column)
    for state, artifacts in (("built", result.new), ("unchanged", result.unchanged)):
        for a in artifacts:
            table.add_row(a.kind, a.name, a.version, f"{a.size:,}", a.sha256[:12], state)
    console.print(table)
    return 0


def _cmd_upload(args: argparse.Namespace, console: Console) -> int:
    session = aws.session(profile=args.profile, region=args.region)
    s3 = aws.client(session, "s3", args.endpoint_url)
    bucket = args.bucket or aws.catalog_bucket_name(aws.client(session, "ssm", args.endpoint_url), args.parameter)
    dist = Path(args.dist)
    manifest = packaging.read_manifest(dist / packaging.MANIFEST_NAME)
    with Progress(console=console, transient=True, disable=args.json) as progress:
        task = progress.add_task(f"uploading to s3://{bucket}", total=len(manifest["artifacts"]))

        def advance(artifact: packaging.Artifact, state: str) -> None:
            progress.update(task, advance=1, description=f"{state} {artifact.key}")

        result = uploading.upload(s3, dist, bucket, progress=advance)
    if args.json:
        console.print_json(json.dumps(result.as_dict()))
    else:
        console.print(
            f"s3://{bucket}: {len(result.uploaded)} uploaded, {len(result.skipped)} already there "
            f"(same sha256), {result.retries} retried call(s)"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-parser per subcommand."""
    parser = argparse.ArgumentParser(
        prog="mlops-templates", description="Package, publish and check SageMaker MLOps Terraform templates."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("version", help="print the tool's version")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_cmd_version)

    p = sub.add_parser("doctor", help="check terraform, the AWS provider source, checkov and AWS settings")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_cmd_doctor)

    p = sub.add_parser("docs", help="regenerate the inputs/outputs tables of module and product READMEs")
    p.add_argument("--check", action="store_true", help="only report READMEs that are out of date")
    p.add_argument("--repo", default=".", help="repository root (default: current directory)")
    p.set_defaults(handler=_cmd_docs)

    p = sub.add_parser("package", help="build deterministic product, seed-code and Lambda artifacts into dist/")
    p.add_argument("products", nargs="*", metavar="PRODUCT", help="products to package (default: all)")
    p.add_argument("--repo", default=".", help="repository root (default: current directory)")
    p.add_argument("--dist", default="dist", help="output folder (default: dist)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_cmd_package)

    p = sub.add_parser("upload", help="upload dist/ to the catalog bucket under content-addressed keys")
    p.add_argument("--dist", default="dist", help="folder written by `package` (default: dist)")
    p.add_argument("--bucket", help=f"catalog bucket (default: the SSM parameter {aws.CATALOG_BUCKET_PARAMETER})")
    p.add_argument("--parameter", default=aws.CATALOG_BUCKET_PARAMETER, help="SSM parameter naming the bucket")
    aws.add_arguments(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_cmd_upload)

    p = sub.add_parser("demo", help="the demo: plan everything against an embedded local AWS emulator")
    p.add_argument("--repo", default=".", help="repository root (default: current directory)")
    p.set_defaults(handler=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, stream=sys.stderr)
    console = Console()
    err_console = Console(stderr=True)
    handler: Handler = args.handler
    try:
        return handler(args, console)
    except MlopsTemplatesError as err:
        err_console.print(f"[bold red]error:[/] {err}", highlight=False)
        return err.exit_code
    except KeyboardInterrupt:
        err_console.print("[bold red]interrupted[/]")
        return 130
