"""One error hierarchy for the package.

Library code raises these (``raise ... from err`` when wrapping another error); only the CLI entry point
turns them into exit codes and messages. Every message names the file, product, key or tool at fault.
"""

from __future__ import annotations


class MlopsTemplatesError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code = 1


class UsageError(MlopsTemplatesError):
    """The command line or a setting is wrong."""

    exit_code = 2


class ToolchainError(MlopsTemplatesError):
    """A tool the command needs (terraform, checkov, a provider) is missing or too old."""

    exit_code = 3


class ConfigError(MlopsTemplatesError):
    """A project file (product.yaml, a manifest, a module layout) is missing or invalid."""

    exit_code = 4


class PackagingError(MlopsTemplatesError):
    """An artifact cannot be built, or would differ from one already built under the same version."""

    exit_code = 5


class AwsError(MlopsTemplatesError):
    """An AWS call failed in a way the command cannot recover from."""

    exit_code = 6


class CheckFailed(MlopsTemplatesError):
    """A check ran and reported problems (doctor, demo steps)."""

    exit_code = 7
