"""The test-suite's moto server: the package's embedded emulator, one per test process."""

from mlops_templates.emulator import MotoServer, shared, start

__all__ = ["MotoServer", "shared", "start"]
