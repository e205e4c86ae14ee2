"""The local git smart-HTTP server of the tests: it lives in the package (the demo serves its third-party git
project from it), see :mod:`mlops_templates.git_server`."""

from mlops_templates.git_server import (
    BasicAuth,
    CodeCommitSigV4,
    GitServer,
    HttpRequest,
    HttpResponse,
    LoggedRequest,
    git_env,
)

__all__ = ["BasicAuth", "CodeCommitSigV4", "GitServer", "HttpRequest", "HttpResponse", "LoggedRequest", "git_env"]
