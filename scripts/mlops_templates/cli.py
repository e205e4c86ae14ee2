"""The `mlops-templates` command line. The only place where errors become exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from mlops_templates import __version__, aws, doctor, packaging, projects, tfrun, toolchain
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


def _repo(args: argparse.Namespace) -> Path:
    """The repository a command works on: ``--repo``, else the one holding the working directory."""
    return tfrun.find_repo(Path(args.repo), strict=True) if args.repo else tfrun.find_repo(Path.cwd())


def _cmd_docs(args: argparse.Namespace, console: Console) -> int:
    # python-hcl2 is an optional extra: import it only for this command.
    tfdocs = toolchain.import_optional("mlops_templates.tfdocs", "docs", "`mlops-templates docs`")
    repo = _repo(args)
    stale = [folder for folder in tfdocs.readme_folders(repo) if tfdocs.update(folder / "README.md", args.check)]
    for folder in stale:
        console.print(f"{'stale' if args.check else 'updated'}: {folder.relative_to(repo)}/README.md")
    if args.check and stale:
        raise CheckFailed(f"{len(stale)} README(s) out of date: run `mlops-templates docs`")
    return 0


def _cmd_demo(args: argparse.Namespace, console: Console) -> int:
    from mlops_templates import demo

    if not args.real:  # the local emulator and the model-build run need the demo extra
        toolchain.require_extra("demo", "`mlops-templates demo` (the local AWS emulator and model training)")
    repo = _repo(args)
    if args.real:
        demo.run_real(repo, console, args.bucket, args.profile, args.region, [Path(f) for f in args.var_file or []])
    else:
        demo.run(repo, console)
    return 0


def _cmd_package(args: argparse.Namespace, console: Console) -> int:
    repo = _repo(args)
    s3 = None
    if packaging.external_sets(repo, args.products):  # an S3 client only for seed-code sets held in S3
        s3 = aws.client(aws.session(profile=args.profile, region=args.region), "s3", args.endpoint_url)
    result = packaging.package(repo, Path(args.dist), args.products, s3=s3)
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
        versions = "; ".join(f"{name} {', '.join(v)}" for name, v in result.published_versions.items())
        state = "updated" if result.manifest_updated else "unchanged"
        console.print(f"catalog index manifest.json ({state}): {versions or 'no products'}")
    return 0


def _project_clients(args: argparse.Namespace) -> tuple[Any, Any]:
    session = aws.session(profile=args.profile, region=args.region)
    return aws.client(session, "sagemaker", args.endpoint_url), aws.client(session, "servicecatalog", args.endpoint_url)


def _show_project(result: projects.ProjectStatus, args: argparse.Namespace, console: Console) -> None:
    if args.json:
        console.print_json(json.dumps(result.as_dict()))
        return
    console.print(f"project {result.name} ({result.project_id or '-'}): [bold]{result.status}[/] {result.message}")
    if result.outputs:
        table = Table(title="outputs")
        table.add_column("output")
        table.add_column("value", overflow="fold")
        for key, value in sorted(result.outputs.items()):
            table.add_row(key, value)
        console.print(table)


def _wait(args: argparse.Namespace, console: Console, deleting: bool = False) -> projects.ProjectStatus:
    sagemaker, servicecatalog = _project_clients(args)
    with console.status(f"waiting for project {args.name}", spinner="dots") as spinner:

        def report(state: str, message: str) -> None:
            spinner.update(f"project {args.name}: {state} {message}".rstrip())

        return projects.wait(
            sagemaker,
            servicecatalog,
            args.name,
            deleting=deleting,
            timeout=args.timeout,
            interval=args.interval,
            progress=None if args.json else report,
        )


def _cmd_launch(args: argparse.Namespace, console: Console) -> int:
    sagemaker, servicecatalog = _project_clients(args)
    projects.validate_project_name(args.name)
    parameters = projects.parse_pairs(args.param, "--param")
    tags = projects.parse_pairs(args.tag, "--tag")
    version = projects.find_product_version(servicecatalog, args.product, args.version, args.path_id)
    arn = projects.launch(sagemaker, servicecatalog, args.name, version, parameters, tags, args.description)
    if not args.json:
        console.print(f"creating {arn} from {version.product_name} {version.version}")
    if args.no_wait:
        if args.json:
            console.print_json(json.dumps({"project_arn": arn, "product_id": version.product_id}))
        return 0
    _show_project(_wait(args, console), args, console)
    return 0


def _cmd_status(args: argparse.Namespace, console: Console) -> int:
    sagemaker, servicecatalog = _project_clients(args)
    _show_project(projects.status(sagemaker, servicecatalog, args.name), args, console)
    return 0


def _cmd_delete_project(args: argparse.Namespace, console: Console) -> int:
    sagemaker, servicecatalog = _project_clients(args)
    projects.delete(sagemaker, args.name)
    if args.no_wait:
        _show_project(projects.current(sagemaker, servicecatalog, args.name, deleting=True), args, console)
        return 0
    _show_project(_wait(args, console, deleting=True), args, console)
    return 0


def _project_arguments(parser: argparse.ArgumentParser, waits: bool) -> None:
    parser.add_argument("name", help="SageMaker project name")
    aws.add_arguments(parser)
    if waits:
        parser.add_argument("--no-wait", action="store_true", help="return at once instead of waiting")
        parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait (default: 3600)")
        parser.add_argument("--interval", type=float, default=15, help="seconds between polls (default: 15)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


REPO_HELP = "repository root (default: the repository holding the current directory)"
VERBOSE_HELP = "log debug messages to stderr"


class _SubParsers(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Sub-parsers that also accept ``-v``/``--verbose`` (after the subcommand as well as before it)."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = super().add_parser(name, **kwargs)
        # SUPPRESS: a sub-parser that did not see the flag leaves the main parser's value alone.
        parser.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=VERBOSE_HELP)
        return parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, one sub-parser per subcommand."""
    parser = argparse.ArgumentParser(
        prog="mlops-templates", description="Package, publish and check SageMaker MLOps Terraform templates."
    )
    parser.register("action", "parsers", _SubParsers)
    parser.add_argument("-v", "--verbose", action="store_true", help=VERBOSE_HELP)
    parser.add_argument("--version", action="version", version=f"mlops-templates {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("version", help="print the tool's version")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_cmd_version)

    p = sub.add_parser("doctor", help="check terraform, the AWS provider source, checkov and AWS settings")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_cmd_doctor)

    p = sub.add_parser("docs", help="regenerate the inputs/outputs tables of module and product READMEs")
    p.add_argument("--check", action="store_true", help="only report READMEs that are out of date")
    p.add_argument("--repo", help=REPO_HELP)
    p.set_defaults(handler=_cmd_docs)

    p = sub.add_parser("package", help="build deterministic product, seed-code and Lambda artifacts into dist/")
    p.add_argument("products", nargs="*", metavar="PRODUCT", help="products to package (default: all)")
    p.add_argument("--repo", help=REPO_HELP)
    p.add_argument("--dist", default="dist", help="output folder (default: dist)")
    aws.add_arguments(p)  # used only to download the seed-code sets held in S3
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_cmd_package)

    p = sub.add_parser("upload", help="upload dist/ to the catalog bucket under content-addressed keys")
    p.add_argument("--dist", default="dist", help="folder written by `package` (default: dist)")
    p.add_argument("--bucket", help=f"catalog bucket (default: the SSM parameter {aws.CATALOG_BUCKET_PARAMETER})")
    p.add_argument("--parameter", default=aws.CATALOG_BUCKET_PARAMETER, help="SSM parameter naming the bucket")
    aws.add_arguments(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=_cmd_upload)

    p = sub.add_parser("launch", help="create a SageMaker project from a published product and wait for it")
    _project_arguments(p, waits=True)
    p.add_argument("--product", required=True, help="product name or id (prod-...)")
    p.add_argument("--version", help="product version (default: the highest active DEFAULT one)")
    p.add_argument("--path-id", help="launch path (portfolio) to use; required when the product has several")
    p.add_argument("--param", action="append", metavar="KEY=VALUE", help="provisioning parameter of the product")
    p.add_argument("--tag", action="append", metavar="KEY=VALUE", help="project tag (e.g. team=fraud)")
    p.add_argument("--description", default="", help="project description")
    p.set_defaults(handler=_cmd_launch)

    p = sub.add_parser("status", help="show a SageMaker project's status and outputs")
    _project_arguments(p, waits=False)
    p.set_defaults(handler=_cmd_status)

    p = sub.add_parser("delete-project", help="delete a SageMaker project (its provisioned product is terminated)")
    _project_arguments(p, waits=True)
    p.set_defaults(handler=_cmd_delete_project)

    p = sub.add_parser("demo", help="the demo: package, upload, plan and a project's life on a local AWS emulator")
    p.add_argument("--repo", help=REPO_HELP)
    p.add_argument("--real", action="store_true", help="package, upload and plan against your AWS account (no apply)")
    p.add_argument("--bucket", help="catalog bucket for --real (default: the catalog's SSM parameter)")
    p.add_argument("--profile", help="AWS profile for --real")
    p.add_argument("--region", help="AWS region for --real")
    p.add_argument(
        "--var-file", action="append", help="catalog settings for --real's plan (default: catalog/terraform.tfvars)"
    )
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
        try:
            return handler(args, console)
        except (BotoCoreError, ClientError) as err:
            raise aws.as_error(err) from err
    except MlopsTemplatesError as err:
        err_console.print(f"[bold red]error:[/] {escape(str(err))}", highlight=False, soft_wrap=True)
        return err.exit_code
    except KeyboardInterrupt:
        err_console.print("[bold red]interrupted[/]")
        return 130
