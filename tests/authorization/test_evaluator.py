"""The evaluator's federated principals (sts:AssumeRoleWithWebIdentity by an OIDC provider), on written-out trust
policies: what the GitHub OIDC role's cases rely on, and proof that a lax trust policy makes a must-not case fail."""

from __future__ import annotations

from typing import Any

import pytest

from tests.authorization.evaluator import Principal, Request, ResourceKind, evaluate

HOST = "token.actions.githubusercontent.com"
PROVIDER = f"arn:aws:iam::123456789012:oidc-provider/{HOST}"
ROLE = "arn:aws:iam::123456789012:role/churn-github-actions"
GITHUB = Principal(federated=PROVIDER)


def trust(
    test: str = "StringEquals", sub: Any = "repo:ml-team/churn:ref:refs/heads/main", **more: Any
) -> dict[str, Any]:
    condition: dict[str, dict[str, Any]] = {"StringEquals": {f"{HOST}:aud": "sts.amazonaws.com"}}
    condition.setdefault(test, {})[f"{HOST}:sub"] = sub
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AssumeByGitHubActions",
                "Effect": "Allow",
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Principal": {"Federated": PROVIDER},
                "Condition": condition,
            },
            *more.get("extra", []),
        ],
    }


def claims(sub: str, aud: str = "sts.amazonaws.com") -> dict[str, str]:
    return {f"{HOST}:aud": aud, f"{HOST}:sub": sub}


def decide(policy: dict[str, Any], context: dict[str, str], action: str = "sts:AssumeRoleWithWebIdentity") -> bool:
    return evaluate(GITHUB, Request(action, ROLE, context), policy, ResourceKind.TRUST).allowed


def test_exact_subject_and_audience_allow() -> None:
    decision = evaluate(
        GITHUB,
        Request("sts:AssumeRoleWithWebIdentity", ROLE, claims("repo:ml-team/churn:ref:refs/heads/main")),
        trust(),
        ResourceKind.TRUST,
    )
    assert decision.allowed and "AssumeByGitHubActions" in decision.reason


@pytest.mark.parametrize(
    ("context", "action", "why"),
    [
        (claims("repo:ml-team/churn:ref:refs/heads/dev"), "sts:AssumeRoleWithWebIdentity", "another branch"),
        (claims("repo:ml-team/churn:pull_request"), "sts:AssumeRoleWithWebIdentity", "a pull request"),
        (claims("repo:ml-team/churn:ref:refs/heads/main", aud="other"), "sts:AssumeRoleWithWebIdentity", "audience"),
        ({f"{HOST}:sub": "repo:ml-team/churn:ref:refs/heads/main"}, "sts:AssumeRoleWithWebIdentity", "no audience"),
        (claims("repo:ml-team/churn:ref:refs/heads/main"), "sts:AssumeRole", "plain AssumeRole"),
    ],
)
def test_anything_else_is_denied(context: dict[str, str], action: str, why: str) -> None:
    assert not decide(trust(), context, action), why


def test_only_the_named_provider_matches() -> None:
    other = Principal(federated="arn:aws:iam::123456789012:oidc-provider/gitlab.com")
    request = Request("sts:AssumeRoleWithWebIdentity", ROLE, claims("repo:ml-team/churn:ref:refs/heads/main"))
    assert not evaluate(other, request, trust(), ResourceKind.TRUST).allowed
    # A service or role principal is not matched by a Federated statement either.
    assert not evaluate(Principal(service="lambda.amazonaws.com"), request, trust(), ResourceKind.TRUST).allowed


def test_a_lax_trust_policy_makes_the_must_not_cases_fail() -> None:
    """The deny cases of cases/github_oidc_role.yaml can fail: with the wildcard subject many guides show, a pull
    request and another branch are allowed, so those cases would report the role."""
    lax = trust(test="StringLike", sub="repo:ml-team/churn:*")
    assert decide(lax, claims("repo:ml-team/churn:pull_request"))
    assert decide(lax, claims("repo:ml-team/churn:ref:refs/heads/dev"))
    # And without an audience condition a token minted for another audience is accepted.
    no_aud = trust()
    del no_aud["Statement"][0]["Condition"]["StringEquals"][f"{HOST}:aud"]
    assert decide(no_aud, claims("repo:ml-team/churn:ref:refs/heads/main", aud="other"))


def test_a_deny_naming_the_provider_wins() -> None:
    deny = {
        "Effect": "Deny",
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Principal": {"Federated": PROVIDER},
        "Condition": {"StringEquals": {f"{HOST}:sub": "repo:ml-team/churn:ref:refs/heads/main"}},
    }
    decision = evaluate(
        GITHUB,
        Request("sts:AssumeRoleWithWebIdentity", ROLE, claims("repo:ml-team/churn:ref:refs/heads/main")),
        trust(extra=[deny]),
        ResourceKind.TRUST,
    )
    assert not decision.allowed and "explicit Deny" in decision.reason
