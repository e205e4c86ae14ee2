"""Case files of the authorization layer (``tests/authorization/cases/<group>.yaml``, format in README.md):
load them, plan what they name (once per session: tests/harness/plans.py), and turn the rendered
policies into the evaluator's principals and resource policies."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mlops_templates.toolchain import provider_sources
from tests.authorization.evaluator import Decision, Principal, Request, ResourceKind, evaluate
from tests.harness.inventory import planned_resources
from tests.harness.paths import REPO, rel
from tests.harness.plans import planned

CASES = Path(__file__).parent / "cases"
EXPECTATIONS = {"allow": True, "deny": False}


class CaseFileError(ValueError):
    """A case file that cannot be evaluated (bad format, or a policy unknown at plan)."""


@dataclass(frozen=True)
class Case:
    """One request of a case file and its expected outcome."""

    group: str
    index: int
    principal: str
    action: str
    resource: str
    context: dict[str, str | list[str]]
    expect: str
    why: str

    @property
    def id(self) -> str:
        why = re.sub(r"[^A-Za-z0-9_.:-]+", "-", self.why).strip("-")[:60]
        return f"{self.group}/{self.principal}/{self.action}/{why}"


def load(path: Path) -> tuple[dict[str, Any], list[Case]]:
    """The spec (plan, principals, resource policies) and the cases of one file."""
    spec = yaml.safe_load(path.read_text()) or {}
    for key in ("plan", "principals", "cases"):
        if key not in spec:
            raise CaseFileError(f"{rel(path)}: needs `{key}`")
    cases: list[Case] = []
    for i, raw in enumerate(spec["cases"]):
        missing = {"principal", "action", "resource", "expect", "why"} - set(raw)
        if missing or raw["expect"] not in EXPECTATIONS or raw["principal"] not in spec["principals"]:
            raise CaseFileError(
                f"{rel(path)} case {i}: needs principal (declared), action, resource, expect (allow|deny), why"
            )
        context = {k: (v if isinstance(v, list) else str(v)) for k, v in (raw.get("context") or {}).items()}
        cases.append(
            Case(path.stem, i, raw["principal"], raw["action"], raw["resource"], context, raw["expect"], raw["why"])
        )
    return spec, cases


def all_cases() -> list[tuple[Path, Case]]:
    return [(path, case) for path in sorted(CASES.glob("*.yaml")) for case in load(path)[1]]


def override_files(paths: list[str]) -> dict[str, str]:
    """The extra files of a plan with `overrides` (repository paths of ``*.tf`` files), as Terraform override files."""
    return {f"zz_authz_{Path(o).stem}_override.tf": (REPO / o).read_text() for o in paths}


def plan_for(spec: dict[str, Any], cache: Path) -> dict[str, Any]:
    """The plan JSON of a spec under the first provider source, from the session's shared plans (harness/plans.py)."""
    tfvars = [REPO / t for t in spec.get("tfvars", [])]
    return planned(cache, REPO / spec["plan"], tfvars, provider_sources()[0], override_files(spec.get("overrides", [])))


def _document(resources: dict[str, dict[str, Any]], address: str, attribute: str, why: str) -> dict[str, Any]:
    values = resources.get(address)
    if values is None:
        raise CaseFileError(f"{why}: {address} is not in the plan")
    text = values.get(attribute)
    if not text:
        raise CaseFileError(
            f"{why}: {address}.{attribute} is unknown at plan; substitute the values known only after apply with "
            "an `overrides` file (see README.md)"
        )
    document: dict[str, Any] = json.loads(text)
    return document


def _template(spec: dict[str, Any], path: str) -> dict[str, Any]:
    """A policy template of the repository (``${name}`` placeholders only) rendered with the spec's
    `template_vars`."""
    variables = {k: str(v) for k, v in (spec.get("template_vars") or {}).items()}
    text = (REPO / path).read_text()
    missing = sorted(set(re.findall(r"\$\{(\w+)\}", text)) - set(variables))
    if missing:
        raise CaseFileError(f"{path}: template_vars lacks {missing}")
    document: dict[str, Any] = json.loads(re.sub(r"\$\{(\w+)\}", lambda m: variables[m.group(1)], text))
    return document


def principal(spec: dict[str, Any], name: str, resources: dict[str, dict[str, Any]]) -> Principal:
    """An evaluator principal from a `principals` entry: a role address (its inline policies and the
    aws_iam_role_policy resources of the same module instance), a dict with `role` and optional `policies`
    (more addresses holding a `policy`) and `boundary` (address of the permissions boundary document), or a
    dict with `service`, or a dict with `federated` (an OIDC or SAML provider's ARN), or a dict with `arn` and
    `documents` (a caller the plan does not create, with its identity policy documents written out)."""
    entry = spec["principals"][name]
    entry = {"role": entry} if isinstance(entry, str) else dict(entry)
    if "service" in entry:
        return Principal(service=entry["service"])
    if "federated" in entry:  # an identity provider's token bearer (sts:AssumeRoleWithWebIdentity)
        return Principal(federated=entry["federated"])
    if "arn" in entry:  # a caller outside the plan (a module's user), with its identity documents written out
        planned = [_document(resources, a, "policy", f"principal {name}") for a in entry.get("policies", [])]
        return Principal(arn=entry["arn"], identity_policies=(*entry.get("documents", []), *planned))
    address = entry["role"]
    role = resources.get(address)
    if role is None or not role.get("name"):
        raise CaseFileError(f"principal {name}: {address} is not a role with a name known at plan")
    prefix = address.rsplit("aws_iam_role.", 1)[0]
    policies = [json.loads(p["policy"]) for p in role.get("inline_policy") or [] if p.get("policy")]
    for other, values in resources.items():
        if other.startswith(prefix + "aws_iam_role_policy.") and values.get("role") in (None, role["name"]):
            policies.append(_document(resources, other, "policy", f"principal {name}"))
        attached = values.get("role") in (None, role["name"]) and "policies" not in entry
        if other.startswith(prefix + "aws_iam_role_policy_attachment.") and attached:
            raise CaseFileError(f"principal {name}: {other} attaches a managed policy; name its document in `policies`")
    policies += [_document(resources, a, "policy", f"principal {name}") for a in entry.get("policies", [])]
    boundary = role.get("permissions_boundary")
    boundaries: tuple[dict[str, Any], ...] = ()
    if "boundary" in entry and str(entry["boundary"]).endswith(".tftpl"):  # a template the catalog renders
        boundaries = (_template(spec, entry["boundary"]),)
    elif "boundary" in entry:
        boundaries = (_document(resources, entry["boundary"], "policy", f"principal {name} boundary"),)
    elif boundary:
        raise CaseFileError(f"principal {name}: has permissions boundary {boundary}; name its document in `boundary`")
    arn = f"arn:aws:iam::{spec.get('account_id', '123456789012')}:role{role.get('path') or '/'}{role['name']}"
    return Principal(arn=arn, identity_policies=tuple(policies), boundary_policies=boundaries)


def _glob_match(pattern: str, value: str) -> bool:
    return re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), value) is not None


def resource_policy(
    spec: dict[str, Any], action: str, resource: str, resources: dict[str, dict[str, Any]]
) -> tuple[dict[str, Any] | None, ResourceKind]:
    """The resource policy that applies to a request: the first `resource_policies` entry whose `resources` glob
    matches the ARN and whose `actions` globs (default: all; sts:AssumeRole and sts:TagSession for a trust
    policy) match the action."""
    for entry in spec.get("resource_policies", []):
        kind = ResourceKind(entry.get("kind", "default"))
        actions = entry.get("actions", ["sts:AssumeRole", "sts:TagSession"] if kind is ResourceKind.TRUST else ["*"])
        if _glob_match(entry["resources"], resource) and any(_glob_match(a.lower(), action.lower()) for a in actions):
            attribute = entry.get("attribute", "assume_role_policy" if kind is ResourceKind.TRUST else "policy")
            return _document(resources, entry["address"], attribute, f"resource policy of {resource}"), kind
    return None, ResourceKind.DEFAULT


def decide(spec: dict[str, Any], plan: dict[str, Any], case: Case) -> Decision:
    resources = planned_resources(plan)
    who = principal(spec, case.principal, resources)
    policy, kind = resource_policy(spec, case.action, case.resource, resources)
    return evaluate(who, Request(case.action, case.resource, case.context), policy, kind)
