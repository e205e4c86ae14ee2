"""What a failed plan case (tests/harness/collector.py) tells the developer: a plan that warns is a configuration
problem, a plan that differs from its inventory an inventory (or configuration) problem."""

from __future__ import annotations

from pathlib import Path

from mlops_templates.toolchain import ProviderSource
from tests.harness.collector import PlanCaseFailed, failure_message
from tests.harness.paths import TESTS
from tests.harness.plans import PlanWarned

SPEC = TESTS / "modules" / "kms_key" / "tftest.yaml"
SOURCE = ProviderSource("plugin-dir", Path("/opt/tf-plugins"))


def test_a_warning_points_at_the_configuration_not_the_inventory() -> None:
    warned = PlanWarned("terraform warns while planning modules/kms-key (plugin-dir):\nWarning: Argument is deprecated")
    message = failure_message("modules/kms-key", "full", SOURCE, SPEC, warned)
    assert message is not None
    assert "printed warnings, which the suite treats as failures" in message
    assert "Warning: Argument is deprecated" in message
    assert "regenerating the inventory does not help" in message
    assert "does not match its inventory" not in message
    assert "python -m tests.inventory" not in message


def test_a_mismatch_says_how_to_regenerate_the_inventory() -> None:
    mismatch = PlanCaseFailed("tests/modules/kms_key/full.yaml: aws_kms_key.this.enable_key_rotation: true != false")
    message = failure_message("modules/kms-key", "full", SOURCE, SPEC, mismatch)
    assert message is not None
    assert "does not match its inventory" in message
    assert "enable_key_rotation: true != false" in message
    assert "python -m tests.inventory tests/modules/kms_key/tftest.yaml full" in message


def test_other_errors_keep_pytest_s_report() -> None:
    assert failure_message("modules/kms-key", "full", SOURCE, SPEC, RuntimeError("boom")) is None
