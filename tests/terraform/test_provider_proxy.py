"""The schema-caching proxy in front of the shared provider processes (tests/harness/provider_proxy.py): it drops
nothing but the schemas of types no source names, answers the schema once, and forwards everything else, so
terraform still sees the provider's own schema and validation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mlops_templates import tfrun
from mlops_templates.toolchain import ProviderSource
from tests.harness.provider_proxy import SchemaCachingProxy, fields, only_types, types_named_in
from tests.harness.terraform import ProviderServer, reattach_config


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        out.append(low | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _entry(number: int, key: str, schema: bytes) -> bytes:
    """An entry of a map<string, Schema> field."""
    return _field(number, _field(1, key.encode()) + _field(2, schema))


# Names of types no configuration uses, for the byte-level tests below. Deliberately not real provider types: the
# proxy serves every aws_* name written anywhere in tests/ (types_in_repository), and real names here would put their
# schemas into every terraform command's (the WAFv2 web ACL and QuickSight dashboard ones named here before were 1.2 MB,
# 14 times the rest, and a third of a second of terraform CPU per command with the real provider).
DROPPED_RESOURCE = "aws_proxytest_dropped_resource"
DROPPED_DATA = "aws_proxytest_dropped_data"


def test_only_types_drops_the_other_types_schemas_and_keeps_everything_else() -> None:
    schema = _field(2, b"\x08\x01" + b"x" * 300)  # a block long enough for two-byte lengths
    provider = _field(1, schema)
    kept_resource = _entry(2, "aws_kms_key", schema)
    dropped_resource = _entry(2, DROPPED_RESOURCE, schema + schema)
    kept_data = _entry(3, "aws_iam_policy_document", schema)
    dropped_data = _entry(3, DROPPED_DATA, schema)
    capabilities = _field(6, b"\x08\x01\x10\x01")
    function = _entry(7, "arn_parse", b"\x22\x03abc")
    dropped_ephemeral = _entry(8, "aws_secretsmanager_secret_version", schema)
    reply = b"".join(
        [provider, kept_resource, dropped_resource, kept_data, dropped_data, capabilities, function, dropped_ephemeral]
    )

    filtered = only_types(reply, frozenset({"aws_kms_key", "aws_iam_policy_document"}))

    assert filtered == provider + kept_resource + kept_data + capabilities + function
    assert (
        only_types(
            reply,
            frozenset(
                {
                    "aws_kms_key",
                    "aws_iam_policy_document",
                    DROPPED_RESOURCE,
                    DROPPED_DATA,
                    "aws_secretsmanager_secret_version",
                }
            ),
        )
        == reply
    )


def test_a_truncated_reply_is_an_error_not_a_smaller_schema() -> None:
    reply = _entry(2, "aws_kms_key", b"\x08\x01" * 10)
    with pytest.raises(ValueError, match="runs past the end"):
        list(fields(reply[:-3]))


def test_the_type_scan_finds_types_in_terraform_tests_and_python(tmp_path: Path) -> None:
    (tmp_path / "modules" / "m").mkdir(parents=True)
    (tmp_path / "modules" / "m" / "main.tf").write_text('resource "aws_s3_bucket" "b" {}\ndata "aws_region" "r" {}\n')
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "x.tftest.hcl").write_text("override_data {\n  target = data.aws_caller_identity.c\n}\n")
    (tmp_path / "tests" / "t.py").write_text('EXTRA = \'resource "aws_sns_topic" "t" {}\'\n')
    (tmp_path / "tests" / ".terraform").mkdir()
    (tmp_path / "tests" / ".terraform" / "cached.tf").write_text('resource "aws_instance" "i" {}\n')

    found = types_named_in([tmp_path / "modules", tmp_path / "tests"])

    assert {"aws_s3_bucket", "aws_region", "aws_caller_identity", "aws_sns_topic"} <= found
    assert "aws_instance" not in found


@pytest.fixture
def kms_only_proxy(provider_source: ProviderSource) -> Iterator[tuple[SchemaCachingProxy, ProviderServer]]:
    """A proxy serving only aws_kms_key's schema, in front of this worker's shared provider process."""
    server = ProviderServer.for_source(provider_source)
    if server is None:
        pytest.skip(f"{provider_source} has no local provider binary to share (the proxy serves shared processes)")
    proxy = SchemaCachingProxy(server.upstream, frozenset({"aws_kms_key"}))
    yield proxy, server
    proxy.stop()


def _validate(root: Path, body: str, source: ProviderSource, reattach: str) -> tfrun.WorkingCopy:
    root.mkdir()
    (root / "main.tf").write_text(body)
    wc = tfrun.init(root, source, {"TF_REATTACH_PROVIDERS": reattach})
    wc.run("validate", "-no-color", check=False)
    return wc


@pytest.mark.terraform
def test_terraform_gets_the_provider_s_schema_and_validation_through_the_proxy(
    kms_only_proxy: tuple[SchemaCachingProxy, ProviderServer], provider_source: ProviderSource, tmp_path: Path
) -> None:
    proxy, server = kms_only_proxy
    reattach = reattach_config(server.protocol, proxy.address, server.process.pid)

    key = 'resource "aws_kms_key" "k" {\n  description = "proxy"\n  deletion_window_in_days = %s\n}\n'
    valid = _validate(tmp_path / "valid", key % "7", provider_source, reattach)
    assert "The configuration is valid" in valid.last_output, valid.last_output

    # Core checks the block against the provider's schema of aws_kms_key, as served through the proxy.
    unknown = _validate(tmp_path / "unknown", key % "7\n  not_an_argument = 1", provider_source, reattach)
    assert 'An argument named "not_an_argument" is not expected here' in unknown.last_output, unknown.last_output

    # A type outside the set fails loudly.
    alias = key % "7" + 'resource "aws_kms_alias" "a" {\n  name = "alias/p"\n  target_key_id = aws_kms_key.k.id\n}\n'
    dropped = _validate(tmp_path / "dropped", alias, provider_source, reattach)
    assert 'does not support resource type "aws_kms_alias"' in dropped.last_output, dropped.last_output

    if provider_source.kind == "plugin-dir":
        # The real provider's own validation answers through the proxy (the stand-in validates nothing itself).
        short = _validate(tmp_path / "short", key % "3", provider_source, reattach)
        assert "expected deletion_window_in_days to be in the range (7 - 30)" in short.last_output, short.last_output

    schema_calls = {m: n for m, n in proxy.upstream_calls.items() if m.endswith(("/GetSchema", "/GetProviderSchema"))}
    validations = sum(n for m, n in proxy.upstream_calls.items() if "Validate" in m)
    assert list(schema_calls.values()) == [1], proxy.upstream_calls  # several commands, one schema call
    assert validations >= 2, proxy.upstream_calls  # the provider validated the valid key, twice
