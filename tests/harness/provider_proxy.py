"""A gRPC proxy in front of a shared provider process: every call forwarded byte for byte, the schema answered once.

Terraform core asks the provider for its whole schema at every command (validate, plan, show, apply, each
``terraform test`` file) and decodes all of it. For the real hashicorp/aws 5.100 that is a 13 MB reply (1,526
resources, 608 data sources; the WAFv2 and QuickSight ones alone are megabytes) which the provider rebuilds in
about a second of CPU and core decodes in about two more, although the configurations under test use a few dozen
types. Measured on ``modules/kms-key``: ``terraform show -json`` 2.2 s of CPU straight, 0.16 s through the proxy.

The proxy (one per shared provider process, :class:`tests.harness.terraform.ProviderServer`):

- forwards every call of the provider protocol (validation, planning, applying, reading, functions) unchanged
  to the provider, which does all the work it does without the proxy;
- keeps the first reply of the calls whose answer depends only on the binary (schema, metadata, functions,
  identity schemas);
- when given ``types``, keeps in the schema reply only the resource, data source and ephemeral resource types of
  that set: the types named anywhere in the repository's sources (:func:`types_named_in`). Core checks each block
  of a configuration against the provider's own schema of its type, byte for byte the same. A configuration
  using a type outside the set fails loudly (core: "The provider hashicorp/aws does not support resource type
  ..."); ``MLOPS_TF_FULL_SCHEMA=1`` serves the whole schema.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent import futures
from pathlib import Path
from typing import Any, NoReturn

import grpc

# Calls whose reply depends on nothing but the binary (protocol 5 names the schema call GetSchema).
CACHED = frozenset(
    f"/tfplugin{protocol}.Provider/{method}"
    for protocol in (5, 6)
    for method in ("GetSchema", "GetProviderSchema", "GetMetadata", "GetFunctions", "GetResourceIdentitySchemas")
)
SCHEMA_CALLS = frozenset({"/tfplugin5.Provider/GetSchema", "/tfplugin6.Provider/GetProviderSchema"})
# GetProviderSchema.Response (tfplugin5 and 6): the maps from type name to schema of resources (2), data sources
# (3) and ephemeral resources (8).
TYPE_MAPS = frozenset({2, 3, 8})
# go-plugin's own services: the provider's stdout/stderr stream (the harness discards that output) and the broker
# (which Terraform does not use for providers). Terraform opens both on every connection and keeps them open as
# long as the connection; proxied, each would hold a proxy thread for that long (``terraform test`` opens a
# connection per run block). They are answered UNIMPLEMENTED, which go-plugin handles ("stdio service not
# available").
NOT_PROXIED = frozenset({"/plugin.GRPCStdio/StreamStdio", "/plugin.GRPCBroker/StartStream"})
# The protocols' streaming calls (Terraform 1.14's actions); every other call is unary.
UNARY_STREAM = frozenset({"/tfplugin5.Provider/InvokeAction", "/tfplugin6.Provider/InvokeAction"})
# Terraform allows 256 MiB messages; grpcio's default limit (4 MiB) is below the schema reply.
UNLIMITED = [("grpc.max_send_message_length", -1), ("grpc.max_receive_message_length", -1)]
# What names an AWS provider type in Terraform, tftest, Python and YAML sources.
TYPE_NAME = re.compile(rb"\baws_[a-z0-9_]+")
SOURCE_SUFFIXES = frozenset({".tf", ".hcl", ".tftpl", ".tfvars", ".py", ".yaml", ".yml", ".json"})
SKIPPED_FOLDERS = frozenset(
    {".git", ".terraform", ".venv", ".venv-checkov", ".cache", "__pycache__", "dist", "node_modules"}
)


def _identity(data: bytes) -> bytes:
    return data


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def fields(message: bytes) -> Iterator[tuple[int, int, bytes]]:
    """(field number, wire type, the field's encoded bytes) of each field of a protobuf message, in order."""
    pos = 0
    while pos < len(message):
        start = pos
        key, pos = _varint(message, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            _, pos = _varint(message, pos)
        elif wire == 1:
            pos += 8
        elif wire == 2:
            length, pos = _varint(message, pos)
            pos += length
        elif wire == 5:
            pos += 4
        else:
            raise ValueError(f"protobuf wire type {wire} at byte {start}: not a message this proxy reads")
        if pos > len(message):
            raise ValueError(f"protobuf field {number} at byte {start} runs past the end of the message")
        yield number, wire, message[start:pos]


def _payload(encoded: bytes) -> bytes:
    """The payload of a length-delimited field, given the field's encoded bytes (key, length, payload)."""
    _, pos = _varint(encoded, 0)
    length, pos = _varint(encoded, pos)
    return encoded[pos : pos + length]


def map_key(entry: bytes) -> str:
    """The string key (field 1) of a protobuf map entry."""
    for number, wire, encoded in fields(entry):
        if number == 1 and wire == 2:
            return _payload(encoded).decode()
    return ""


def only_types(reply: bytes, types: frozenset[str]) -> bytes:
    """A GetProviderSchema reply keeping, of its resource, data source and ephemeral resource schemas, those of
    ``types``, and every other field as it is."""
    kept = bytearray()
    for number, wire, encoded in fields(reply):
        if number in TYPE_MAPS and wire == 2 and map_key(_payload(encoded)) not in types:
            continue
        kept += encoded
    return bytes(kept)


def types_named_in(folders: Iterable[Path]) -> frozenset[str]:
    """Every ``aws_*`` name in the Terraform, test and Python sources under ``folders``: a superset of the types
    their configurations use (a type is written out wherever a block of it is declared)."""
    names: set[str] = set()
    for folder in folders:
        for path in folder.rglob("*"):
            skipped = SKIPPED_FOLDERS & set(path.relative_to(folder).parts)
            if path.suffix in SOURCE_SUFFIXES and not skipped and path.is_file():
                names.update(match.decode() for match in TYPE_NAME.findall(path.read_bytes()))
    return frozenset(names)


def _abort(context: grpc.ServicerContext, error: grpc.RpcError) -> NoReturn:
    context.abort(error.code(), error.details() or "")
    raise AssertionError("unreachable: abort raises")


def _metadata(context: grpc.ServicerContext) -> tuple[tuple[str, str | bytes], ...]:
    return tuple((key, value) for key, value in context.invocation_metadata() if not key.startswith(":"))


class SchemaCachingProxy:
    """Serves the provider's gRPC services on a unix socket (:attr:`address`), forwarding to ``upstream``
    (``unix:<path>`` or ``host:port``)."""

    def __init__(self, upstream: str, types: frozenset[str] | None = None) -> None:
        self.types = types
        self.upstream_calls: Counter[str] = Counter()  # calls forwarded to the provider, by method
        self._channel = grpc.insecure_channel(upstream, options=UNLIMITED)
        self._cache: dict[tuple[str, bytes], bytes] = {}
        self._lock = threading.Lock()
        self._folder = tempfile.TemporaryDirectory(prefix="tf-provider-proxy-")
        self.address = str(Path(self._folder.name) / "provider.sock")
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=32), options=UNLIMITED)
        self._server.add_generic_rpc_handlers([_Handler(self)])
        self._server.add_insecure_port(f"unix:{self.address}")
        self._server.start()

    def stop(self) -> None:
        self._server.stop(grace=None)
        self._channel.close()
        self._folder.cleanup()

    def _count(self, method: str) -> None:
        with self._lock:
            self.upstream_calls[method] += 1

    def unary(self, method: str) -> Callable[[bytes, grpc.ServicerContext], bytes]:
        call = self._channel.unary_unary(method, request_serializer=_identity, response_deserializer=_identity)

        def forward(request: bytes, context: grpc.ServicerContext) -> bytes:
            self._count(method)
            try:
                reply: bytes = call(request, metadata=_metadata(context))
            except grpc.RpcError as error:
                _abort(context, error)
            return reply

        if method not in CACHED:
            return forward

        def cached(request: bytes, context: grpc.ServicerContext) -> bytes:
            with self._lock:
                reply = self._cache.get((method, request))
            if reply is None:
                reply = forward(request, context)
                if method in SCHEMA_CALLS and self.types is not None:
                    reply = only_types(reply, self.types)
                with self._lock:
                    self._cache[method, request] = reply
            return reply

        return cached

    def streaming(self, method: str) -> Callable[[bytes, grpc.ServicerContext], Iterator[bytes]]:
        call = self._channel.unary_stream(method, request_serializer=_identity, response_deserializer=_identity)

        def forward(request: bytes, context: grpc.ServicerContext) -> Iterator[bytes]:
            self._count(method)
            upstream = call(request, metadata=_metadata(context))

            # When terraform goes away, so does the provider-side stream (else its thread waits forever).
            def cancel() -> None:
                upstream.cancel()

            context.add_callback(cancel)
            try:
                yield from upstream
            except grpc.RpcError as error:
                if error.code() != grpc.StatusCode.CANCELLED:
                    _abort(context, error)

        return forward


class _Handler(grpc.GenericRpcHandler):
    def __init__(self, proxy: SchemaCachingProxy) -> None:
        self._proxy = proxy
        self._handlers: dict[str, grpc.RpcMethodHandler[Any, Any]] = {}

    def service(self, handler_call_details: grpc.HandlerCallDetails) -> grpc.RpcMethodHandler[Any, Any] | None:
        method: str = handler_call_details.method
        if method in NOT_PROXIED:
            return None
        handler = self._handlers.get(method)
        if handler is None:
            if method in UNARY_STREAM:
                handler = grpc.unary_stream_rpc_method_handler(self._proxy.streaming(method))
            else:
                handler = grpc.unary_unary_rpc_method_handler(self._proxy.unary(method))
            self._handlers[method] = handler
        return handler
