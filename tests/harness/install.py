"""A venv holding the built wheel and only its required dependencies: what `pip install .` gives a user.

    python -m tests.harness.install     # create or refresh it (part of `make setup`)

The venv lives under .cache/wheel-venv/<key>, the key a hash of the project's ``dependencies`` and the Python
version, so it is created (with pip and the machine's configured indexes) only when those change. The wheel is
built from the working tree with the dev venv's setuptools (no build isolation, so no download) and installed
into it with ``--no-deps --no-index`` whenever its content differs from the installed one (a few seconds).
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import logging
import shutil
import subprocess
import sys
import tempfile
import tomllib
import venv
import zipfile
from pathlib import Path

from tests.harness.paths import REPO

LOG = logging.getLogger(__name__)
CACHE = REPO / ".cache" / "wheel-venv"
COMPLETE = ".complete"
INSTALLED = ".installed-wheel"
PIP = ["-m", "pip", "--disable-pip-version-check", "--quiet"]


def dependencies() -> list[str]:
    """The project's required dependencies (no extras), from pyproject.toml."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return sorted(project["dependencies"])


def key() -> str:
    """Hash of the required dependencies and this Python's version (a venv is tied to its interpreter)."""
    digest = hashlib.sha256("\n".join(dependencies()).encode())
    digest.update(f"python{sys.version_info.major}.{sys.version_info.minor}".encode())
    return digest.hexdigest()[:16]


def build_wheel(dest: Path) -> Path:
    """Build the project's wheel from a clean copy of the working tree into ``dest``; its path.

    The copy keeps setuptools' ``build/`` and ``*.egg-info`` out of the repository, and stale files in them out of
    the wheel."""
    source = dest / "source"
    for name in ("pyproject.toml", "README.md"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "scripts", source / "scripts", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    subprocess.run(
        [sys.executable, *PIP, "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", str(dest), str(source)],
        check=True,
        capture_output=True,
    )
    return next(dest.glob("sagemaker_mlops_templates-*.whl"))


def wheel_digest(wheel: Path) -> str:
    """Digest of the wheel's entries (names and contents), independent of the zip's timestamps."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(wheel) as archive:
        for name in sorted(archive.namelist()):
            digest.update(name.encode() + b"\0" + hashlib.sha256(archive.read(name)).digest())
    return digest.hexdigest()


def ensure() -> Path:
    """The venv with the current wheel installed, created or refreshed as needed; its bin/ folder.

    A file lock keeps parallel test workers (and `make`) from building it twice."""
    target = CACHE / key()
    CACHE.mkdir(parents=True, exist_ok=True)
    python = str(target / "bin" / "python")
    with (CACHE / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / COMPLETE).exists():
            for stale in CACHE.iterdir():
                if stale.is_dir():
                    shutil.rmtree(stale)
            LOG.info("creating %s with %s", target, ", ".join(dependencies()))
            venv.EnvBuilder(with_pip=True, clear=True).create(target)
            subprocess.run([python, *PIP, "install", *dependencies()], check=True)
            (target / COMPLETE).write_text(key() + "\n")
        with tempfile.TemporaryDirectory() as tmp:
            wheel = build_wheel(Path(tmp))
            digest = wheel_digest(wheel)
            if (target / INSTALLED).exists() and (target / INSTALLED).read_text().strip() == digest:
                return target / "bin"
            LOG.info("installing %s into %s", wheel.name, target)
            subprocess.run(
                [python, *PIP, "install", "--no-deps", "--no-index", "--force-reinstall", str(wheel)],
                check=True,
                capture_output=True,
            )
        (target / INSTALLED).write_text(digest + "\n")
    return target / "bin"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    LOG.info("wheel venv: %s", ensure().parent)
    return 0


if __name__ == "__main__":
    sys.exit(main())
