"""Decide whether AWS allows a same-account request, from the rendered policies: the one wrapper around
principalmapper's local policy simulation (see README.md for why that evaluator, and what this adds).

AWS's evaluation for a principal and a resource of the same account, as modelled here:

1. An explicit ``Deny`` that matches in any applicable policy (identity or resource) wins.
2. Otherwise, for most services (S3, SageMaker, ...), the request is allowed if an identity policy allows it
   **or** the resource policy allows it for this principal by name. A resource-policy statement naming only
   the account root delegates to IAM: it does not allow by itself.
3. For KMS the key policy is the root of trust: it must allow, either naming the principal (then IAM is not
   needed) or naming the account root, in which case an identity policy must allow as well.
4. For ``sts:AssumeRole`` the trust policy must allow the principal (a service principal needs only that).
5. A federated principal (an OIDC or SAML provider's ARN: ``sts:AssumeRoleWithWebIdentity``) has no identity
   policies: the trust policy's statements naming it in ``Principal.Federated`` decide alone, their actions and
   conditions (``<provider host>:aud``, ``<provider host>:sub``) evaluated by principalmapper against the request
   context, which carries the token's claims. principalmapper itself matches only ``AWS`` and ``Service``
   principals, so the wrapper picks those statements.

principalmapper matches resources case-insensitively; AWS matches ARNs case-sensitively (a policy naming
``model-package-group/Churn-Model-...`` does not match SageMaker's lowercased ARN). The wrapper therefore offers
principalmapper only the statements whose ``Resource``/``NotResource`` match with AWS's case-sensitive globbing.
"""

from __future__ import annotations

import collections
import collections.abc
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

# principalmapper 1.1.5 imports collections.Mapping/MutableMapping, removed from `collections` in Python 3.10.
for _name in ("Mapping", "MutableMapping"):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))

from principalmapper.common import Node  # noqa: E402
from principalmapper.querying import local_policy_simulation as sim  # noqa: E402
from principalmapper.util.case_insensitive_dict import CaseInsensitiveDict  # noqa: E402

ContextValue = str | list[str]


class ResourceKind(Enum):
    """How the resource policy of a service combines with identity policies."""

    DEFAULT = "default"  # S3 bucket policy, SageMaker model package group policy, ...
    KMS = "kms"  # key policy: must allow (directly or by delegating to the account)
    TRUST = "trust"  # role trust policy for sts:AssumeRole


@dataclass(frozen=True)
class Principal:
    """Who makes the request: an IAM role (with its identity policies), an AWS service, or a federated identity
    provider's user (a web identity token's bearer)."""

    arn: str = ""  # a role's ARN, or "" for a service or federated principal
    service: str = ""  # e.g. sagemaker.amazonaws.com
    federated: str = ""  # e.g. arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com
    identity_policies: tuple[Mapping[str, Any], ...] = ()
    boundary_policies: tuple[Mapping[str, Any], ...] = ()  # the role's permissions boundary, if any

    @property
    def account_id(self) -> str:
        return self.arn.split(":")[4] if self.arn else ""

    def describe(self) -> str:
        if self.federated:
            return f"federated {self.federated}"
        return self.arn or f"service {self.service}"


@dataclass(frozen=True)
class Request:
    """One API request as IAM sees it."""

    action: str
    resource: str
    context: Mapping[str, ContextValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    """The outcome, with the reason a reader needs when a case fails."""

    allowed: bool
    reason: str


def _statements(policy: Mapping[str, Any]) -> list[dict[str, Any]]:
    statements = policy.get("Statement", [])
    return list(statements) if isinstance(statements, list) else [statements]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _glob(pattern: str, context: Mapping[str, ContextValue]) -> re.Pattern[str]:
    """AWS's ARN globbing (``*``, ``?``, policy variables), case-sensitive."""
    for key, value in context.items():
        if isinstance(value, str):
            pattern = pattern.replace("${" + key + "}", value)
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("^" + "".join(parts) + "$", re.DOTALL)


def _resource_matches(statement: Mapping[str, Any], request: Request) -> bool:
    if "Resource" in statement:
        return any(_glob(p, request.context).match(request.resource) for p in _as_list(statement["Resource"]))
    if "NotResource" in statement:
        return not any(_glob(p, request.context).match(request.resource) for p in _as_list(statement["NotResource"]))
    return True  # trust policies name no resource


def _substitute(value: Any, context: Mapping[str, ContextValue]) -> Any:
    """Policy variables (``${aws:PrincipalTag/team}``) in condition values replaced by the request's values, as
    AWS does (principalmapper compares them literally)."""
    if isinstance(value, str):
        for key, given in context.items():
            if isinstance(given, str):
                value = value.replace("${" + key + "}", given)
        return value
    if isinstance(value, list):
        return [_substitute(v, context) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, context) for k, v in value.items()}
    return value


def _applicable(policy: Mapping[str, Any], request: Request) -> dict[str, Any]:
    """The policy reduced to the statements whose resource matches case-sensitively, policy variables of their
    conditions substituted."""
    return {
        "Statement": [
            {**s, "Condition": _substitute(s["Condition"], request.context)} if "Condition" in s else s
            for s in _statements(policy)
            if _resource_matches(s, request)
        ]
    }


def _context(request: Request) -> CaseInsensitiveDict:
    return CaseInsensitiveDict({k: (list(v) if isinstance(v, list) else v) for k, v in request.context.items()})


def _identity(principal: Principal, effect: str, request: Request, boundary: bool = False) -> list[str]:
    """Sids (or indexes) of identity-policy (or boundary) statements with ``effect`` that match the request."""
    found: list[str] = []
    for p_index, policy in enumerate(principal.boundary_policies if boundary else principal.identity_policies):
        for s_index, statement in enumerate(_applicable(policy, request)["Statement"]):
            if sim.policy_has_matching_statement(
                {"Statement": [statement]}, effect, request.action, request.resource, _context(request)
            ):
                found.append(statement.get("Sid") or f"policy {p_index} statement {s_index}")
    return found


def _node(principal: Principal) -> Node:
    return Node(
        arn=principal.arn,
        id_value=principal.arn,
        attached_policies=[],
        group_memberships=[],
        trust_policy={"Version": "2012-10-17", "Statement": []} if ":role/" in principal.arn else None,
        instance_profile=None,
        num_access_keys=0,
        active_password=False,
        is_admin=False,
        permissions_boundary=None,
        has_mfa=False,
        tags={},
    )


def _resource_result(
    principal: Principal, resource_policy: Mapping[str, Any], request: Request
) -> tuple[sim.ResourcePolicyEvalResult, list[str]]:
    """principalmapper's verdict on the resource policy, and the Sids of the statements that matched."""
    who: Node | str = _node(principal) if principal.arn else principal.service
    applicable = _applicable(resource_policy, request)
    owner = request.resource.split(":")[4] or principal.account_id
    result = sim.resource_policy_authorization(
        who, owner, applicable, request.action, request.resource, _context(request)
    )
    matched = sim.resource_policy_matching_statements(
        who, applicable, request.action, request.resource, _context(request)
    )
    return result, [s.get("Sid", "?") for s in matched]


def _names_federated(statement: Mapping[str, Any], provider: str) -> bool:
    """Whether a statement's ``Principal`` (or ``NotPrincipal``) applies to the federated ``provider``."""
    if "Principal" in statement:
        named = statement["Principal"]
        return named == "*" or (isinstance(named, Mapping) and provider in _as_list(named.get("Federated", [])))
    excluded = statement.get("NotPrincipal", {})
    return not (isinstance(excluded, Mapping) and provider in _as_list(excluded.get("Federated", [])))


def _federated_result(
    principal: Principal, resource_policy: Mapping[str, Any], request: Request
) -> tuple[sim.ResourcePolicyEvalResult, list[str]]:
    """The verdict of a trust policy on a federated principal, and the Sids of the statements that matched."""
    R = sim.ResourcePolicyEvalResult
    named = [s for s in _applicable(resource_policy, request)["Statement"] if _names_federated(s, principal.federated)]
    matched: dict[str, list[str]] = {"Deny": [], "Allow": []}
    for index, statement in enumerate(named):
        for effect, sids in matched.items():
            if sim.policy_has_matching_statement(
                {"Statement": [statement]}, effect, request.action, request.resource, _context(request)
            ):
                sids.append(statement.get("Sid") or f"statement {index}")
    if matched["Deny"]:
        return R.DENY_MATCH, matched["Deny"]
    return (R.SERVICE_MATCH, matched["Allow"]) if matched["Allow"] else (R.NO_MATCH, [])


def evaluate(
    principal: Principal,
    request: Request,
    resource_policy: Mapping[str, Any] | None = None,
    kind: ResourceKind = ResourceKind.DEFAULT,
) -> Decision:
    """Allow or deny ``request`` by ``principal``, same account, as AWS evaluates it (see the module docstring)."""
    R = sim.ResourcePolicyEvalResult
    denies = _identity(principal, "Deny", request) + _identity(principal, "Deny", request, boundary=True)
    if denies:
        return Decision(False, f"explicit Deny in an identity policy: {denies}")
    sids: list[str] = []
    if resource_policy is None:
        result = R.NO_MATCH
    elif principal.federated:
        result, sids = _federated_result(principal, resource_policy, request)
    else:
        result, sids = _resource_result(principal, resource_policy, request)
    if result is R.DENY_MATCH:
        return Decision(False, f"explicit Deny in the resource policy: {sids}")
    allows = _identity(principal, "Allow", request) if principal.arn else []
    # A permissions boundary caps what the role's policies, and resource policies naming the role, can grant.
    if principal.boundary_policies and not _identity(principal, "Allow", request, boundary=True):
        return Decision(False, "the permissions boundary does not allow the request")
    if kind is ResourceKind.KMS or kind is ResourceKind.TRUST:
        if result in (R.NODE_MATCH, R.SERVICE_MATCH):
            return Decision(True, f"the {kind.value} policy allows the principal: {sids}")
        if result is R.ROOT_MATCH and allows:
            return Decision(True, f"the {kind.value} policy delegates to IAM ({sids}) and IAM allows: {allows}")
        if result is R.ROOT_MATCH:
            return Decision(False, f"the {kind.value} policy delegates to IAM ({sids}) but no identity policy allows")
        return Decision(False, f"the {kind.value} policy does not allow {principal.describe()} (identity: {allows})")
    if result in (R.NODE_MATCH, R.SERVICE_MATCH):
        return Decision(True, f"the resource policy allows the principal: {sids}")
    if allows:
        return Decision(True, f"identity policy allows: {allows}")
    only_root = f"; the resource policy names the account only: {sids}" if sids else ""
    return Decision(False, "implicit deny: no identity policy allows" + only_root)
