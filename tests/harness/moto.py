"""The test-suite's moto server: the package's embedded emulator, one per test process."""

from __future__ import annotations

import atexit

from mlops_templates.emulator import MotoServer, start

__all__ = ["MotoServer", "shared", "start"]

_SHARED: MotoServer | None = None


def shared() -> MotoServer:
    """One moto server per test process, started on first use and stopped at exit."""
    global _SHARED
    if _SHARED is None or _SHARED.process.poll() is not None:
        _SHARED = start()
        atexit.register(_SHARED.stop)
    return _SHARED
