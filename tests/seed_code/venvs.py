"""Venvs holding only a seed folder's requirements.txt: what CodeBuild installs, nothing of the dev venv.

    python -m tests.seed_code.venvs        # create the missing ones (`make seed-venvs`, part of `make setup`)

Each venv lives under .cache/seed-venvs/<folder>-<key>, the key a hash of the folder's requirements.txt and the
Python version, so an edited requirements.txt gets a new venv (the stale one is removed). pip uses the machine's
configured indexes.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import logging
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from tests.harness.paths import REPO, SEED_CODE

LOG = logging.getLogger(__name__)
CACHE = REPO / ".cache" / "seed-venvs"
SEED_FOLDERS = {
    "model-build": SEED_CODE / "build-train-deploy" / "model-build",
    "model-deploy": SEED_CODE / "build-train-deploy" / "model-deploy",
}
COMPLETE = ".complete"


def key(folder: Path) -> str:
    """Hash of the folder's requirements.txt and this Python's version (a venv is tied to its interpreter)."""
    digest = hashlib.sha256((folder / "requirements.txt").read_bytes())
    digest.update(f"python{sys.version_info.major}.{sys.version_info.minor}".encode())
    return digest.hexdigest()[:16]


def path(name: str) -> Path:
    """Where the venv of seed folder ``name`` (a key of SEED_FOLDERS) lives."""
    return CACHE / f"{name}-{key(SEED_FOLDERS[name])}"


def python(name: str) -> Path:
    """The venv's interpreter."""
    return path(name) / "bin" / "python"


def ensure(name: str) -> Path:
    """Create the venv of seed folder ``name`` unless a complete one is cached; return its interpreter.

    A file lock keeps parallel test workers (and `make`) from building the same venv twice."""
    target = path(name)
    CACHE.mkdir(parents=True, exist_ok=True)
    with (CACHE / f".{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / COMPLETE).exists():
            for stale in CACHE.glob(f"{name}-*"):
                shutil.rmtree(stale)
            LOG.info("creating %s from %s/requirements.txt", target, name)
            venv.EnvBuilder(with_pip=True, clear=True).create(target)
            subprocess.run(
                [
                    str(target / "bin" / "python"),
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--requirement",
                    str(SEED_FOLDERS[name] / "requirements.txt"),
                ],
                check=True,
            )
            (target / COMPLETE).write_text(key(SEED_FOLDERS[name]) + "\n")
    return target / "bin" / "python"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"seed folders: {', '.join(SEED_FOLDERS)} (default: all)"
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(SEED_FOLDERS))
    if unknown:
        parser.error(f"unknown seed folders: {', '.join(unknown)}")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for name in args.names or list(SEED_FOLDERS):
        ensure(name)
        LOG.info("%s: %s", name, path(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
