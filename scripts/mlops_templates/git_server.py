"""A real git smart-HTTP server on 127.0.0.1 for tests: ``git http-backend`` behind a small threaded CGI wrapper.

Bare repositories live under ``<root>/repos`` (a repository's name is its path there and in the URL, and may hold
slashes: ``team/seed.git`` is served at ``<url>/team/seed.git``). Every repository has ``http.receivepack`` on.
The server binds an ephemeral port before :meth:`GitServer.__enter__` returns, so it accepts connections at once::

    with GitServer(tmp_path, auth=BasicAuth("user", "token")) as server:
        server.create_repo("team/seed.git")
        ... push to server.url + "/team/seed.git" ...
        assert server.head("team/seed.git", "main") is not None

Authentication is pluggable: :class:`BasicAuth` (a fixed user and token) or :class:`CodeCommitSigV4` (the password
``aws codecommit credential-helper`` makes, recomputed with botocore from known credentials and the time stamp in
the password). A request without credentials gets 401 with a Basic challenge (so the git binary retries with the
URL's user and password); wrong credentials get 403. Interceptors see every request before authentication and may
answer it themselves (inject failures) or act on the repositories (simulate a concurrent push).

Helpers run the real git binary, isolated from the user's and system's configuration: create a bare repository
(empty, or with branches holding commits), read refs, list a commit's files, ``git fsck --strict``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import subprocess
import threading
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import ReadOnlyCredentials

GIT_DATE = "1700000000 +0000"
REPOSITORY_SUFFIX_RE = re.compile(r"^(?P<repository>/.+?)/(info/refs|git-(?:receive|upload)-pack|HEAD|objects/.+)$")


@dataclass(frozen=True)
class HttpRequest:
    """A request as the server received it (body de-chunked)."""

    method: str
    path: str  # without the query
    query: str
    headers: Mapping[str, str]  # lower-case names
    body: bytes

    @property
    def repository_path(self) -> str:
        """The repository's URL path (``/team/seed.git``): what the git credential helper signs."""
        match = REPOSITORY_SUFFIX_RE.match(self.path)
        return match["repository"] if match else self.path

    @property
    def service(self) -> str:
        """``git-receive-pack``, ``git-upload-pack`` or ``""``."""
        if self.path.endswith("/info/refs"):
            return urllib.parse.parse_qs(self.query).get("service", [""])[0]
        return self.path.rsplit("/", 1)[-1] if self.path.endswith("-pack") else ""

    def basic_credentials(self) -> tuple[str, str] | None:
        scheme, _, value = self.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            user, sep, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return (user, password) if sep else None


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


AuthCheck = Callable[[HttpRequest], str | None]  # the authenticated user, or None when refused
Interceptor = Callable[[HttpRequest], HttpResponse | None]


@dataclass(frozen=True)
class BasicAuth:
    """HTTP basic auth with one fixed user and token."""

    username: str
    token: str

    def __call__(self, request: HttpRequest) -> str | None:
        given = request.basic_credentials()
        if given is None:
            return None
        ok = hmac.compare_digest(given[0], self.username) & hmac.compare_digest(given[1], self.token)
        return self.username if ok else None


@dataclass(frozen=True)
class CodeCommitSigV4:
    """The CodeCommit / CodeConnections git-http sign-in: user ``<access key>[%<session token>]``, password
    ``<%Y%m%dT%H%M%S>Z<SigV4 signature>`` of ``GIT\\n<repository path>\\n\\nhost:<host>\\n\\nhost\\n`` for the
    ``codecommit`` service, checked against known credentials and at most ``max_skew`` away from now."""

    credentials: ReadOnlyCredentials
    region: str
    max_skew: timedelta = timedelta(minutes=15)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def expected_password(self, request: HttpRequest, timestamp: str) -> str:
        signer = SigV4Auth(self.credentials, "codecommit", self.region)
        aws_request = AWSRequest(method="GIT", url="http://placeholder/")
        aws_request.context["timestamp"] = timestamp
        hostname = request.headers.get("host", "").split(":")[0]
        canonical = f"GIT\n{request.repository_path}\n\nhost:{hostname}\n\nhost\n"
        return f"{timestamp}Z{signer.signature(signer.string_to_sign(aws_request, canonical), aws_request)}"

    def __call__(self, request: HttpRequest) -> str | None:
        given = request.basic_credentials()
        if given is None:
            return None
        user, password = given
        token = self.credentials.token
        expected_user = str(self.credentials.access_key) + (f"%{token}" if token else "")
        match = re.fullmatch(r"([0-9]{8}T[0-9]{6})Z[0-9a-f]{64}", password)
        if not hmac.compare_digest(user, expected_user) or match is None:
            return None
        try:
            when = datetime.strptime(match[1], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        except ValueError:
            return None
        if abs(self.clock() - when) > self.max_skew:
            return None
        if not hmac.compare_digest(password, self.expected_password(request, match[1])):
            return None
        return str(self.credentials.access_key)


def git_env(home: Path) -> dict[str, str]:
    """An environment for the git binary without the user's or the system's configuration."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(
        {
            "HOME": str(home),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_AUTHOR_NAME": "Someone Else",
            "GIT_AUTHOR_EMAIL": "someone@example.com",
            "GIT_COMMITTER_NAME": "Someone Else",
            "GIT_COMMITTER_EMAIL": "someone@example.com",
            "GIT_AUTHOR_DATE": GIT_DATE,
            "GIT_COMMITTER_DATE": GIT_DATE,
        }
    )
    return env


def _http_backend() -> Path:
    exec_path = subprocess.run(["git", "--exec-path"], check=True, capture_output=True, text=True).stdout.strip()
    return Path(exec_path) / "git-http-backend"


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True  # server_close() joins the request threads

    def __init__(self, owner: GitServer) -> None:
        self.owner = owner
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.0: one request per connection, so shutting down never waits for an idle keep-alive client.
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        del format, args

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline().strip():  # trailers
                        pass
                    return bytes(body)
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _serve(self) -> None:
        owner = cast(_Server, self.server).owner
        path, _, query = self.path.partition("?")
        request = HttpRequest(
            method=self.command,
            path=urllib.parse.unquote(path),
            query=query,
            headers={key.lower(): value for key, value in self.headers.items()},
            body=self._read_body(),
        )
        response = owner.respond(request)
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    service: str
    status: int


class GitServer:
    """The server (a context manager); ``url`` is ``http://127.0.0.1:<port>``."""

    def __init__(self, root: Path, auth: AuthCheck | None = None) -> None:
        self.root = root
        self.repos = root / "repos"
        self.home = root / "home"
        self.repos.mkdir(parents=True, exist_ok=True)
        self.home.mkdir(parents=True, exist_ok=True)
        self.auth = auth
        self.interceptors: list[Interceptor] = []
        self.log: list[LoggedRequest] = []
        self.env = git_env(self.home)
        self._backend = _http_backend()
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---

    def __enter__(self) -> GitServer:
        self._server = _Server(self)  # bound and listening once constructed
        # A short poll interval: shutdown() waits for the serving loop to look at its flag.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="git-server", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the git server is not running")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def repo_url(self, name: str, user: str | None = None, password: str | None = None) -> str:
        """The repository's URL, with the given credentials in it (for the git binary)."""
        if user is None:
            return f"{self.url}/{name}"
        quoted = urllib.parse.quote(user, safe="") + ":" + urllib.parse.quote(password or "", safe="")
        return f"{self.url.replace('://', f'://{quoted}@')}/{name}"

    # --- serving ---

    def respond(self, request: HttpRequest) -> HttpResponse:
        response = self._respond(request)
        with self._lock:
            self.log.append(LoggedRequest(request.method, request.path, request.service, response.status))
        return response

    def _respond(self, request: HttpRequest) -> HttpResponse:
        for interceptor in list(self.interceptors):
            answer = interceptor(request)
            if answer is not None:
                return answer
        user = "anonymous"
        if self.auth is not None:
            authenticated = self.auth(request)
            if authenticated is None:
                if "authorization" not in request.headers:
                    return HttpResponse(401, b"authentication required\n", (("WWW-Authenticate", 'Basic realm="git"'),))
                return HttpResponse(403, b"access denied\n")
            user = authenticated
        return self._cgi(request, user)

    def _cgi(self, request: HttpRequest, user: str) -> HttpResponse:
        env = dict(self.env)
        env.update(
            {
                "GIT_PROJECT_ROOT": str(self.repos),
                "GIT_HTTP_EXPORT_ALL": "1",
                "REMOTE_USER": user,
                "REMOTE_ADDR": "127.0.0.1",
                "GATEWAY_INTERFACE": "CGI/1.1",
                "SERVER_PROTOCOL": "HTTP/1.1",
                "PATH_INFO": request.path,
                "QUERY_STRING": request.query,
                "REQUEST_METHOD": request.method,
                "CONTENT_TYPE": request.headers.get("content-type", ""),
                "CONTENT_LENGTH": str(len(request.body)),
            }
        )
        for name, value in request.headers.items():
            if name not in ("content-type", "content-length", "authorization", "transfer-encoding"):
                env["HTTP_" + name.upper().replace("-", "_")] = value
        result = subprocess.run([str(self._backend)], input=request.body, capture_output=True, env=env, timeout=60)
        head, sep, body = result.stdout.partition(b"\r\n\r\n")
        if not sep:
            head, sep, body = result.stdout.partition(b"\n\n")
        if result.returncode != 0 and not sep:
            return HttpResponse(500, result.stderr)
        status = 200
        headers: list[tuple[str, str]] = []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            elif name.lower() != "content-length" and name:
                headers.append((name, value.strip()))
        return HttpResponse(status, body, tuple(headers))

    # --- repositories ---

    def path(self, name: str) -> Path:
        return self.repos / name

    def git(self, name: str | None, *args: str, input: bytes | None = None, check: bool = True) -> str:
        """Run the git binary (in the bare repository ``name``, or with no repository)."""
        command = ["git"] + (["--git-dir", str(self.path(name))] if name is not None else []) + list(args)
        result = subprocess.run(command, input=input, capture_output=True, env=self.env, check=False, timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.decode()}")
        return result.stdout.decode("utf-8", "replace")

    def create_repo(
        self,
        name: str,
        branches: Mapping[str, Mapping[str, bytes]] | None = None,
        config: Mapping[str, str] | None = None,
    ) -> Path:
        """A bare repository, empty or with the given branches (one commit each, with the given files)."""
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.git(None, "init", "--quiet", "--bare", "--initial-branch=main", str(path))
        self.git(name, "config", "http.receivepack", "true")
        for key, value in (config or {}).items():
            self.git(name, "config", key, value)
        for branch, files in (branches or {}).items():
            self.commit(name, branch, files)
        return path

    def commit(self, name: str, branch: str, files: Mapping[str, bytes], message: str = "Their work") -> str:
        """Commit ``files`` (flat names) on top of ``branch`` (created when missing) with the real git binary."""
        entries = []
        for path, content in sorted(files.items()):
            blob = self.git(name, "hash-object", "-w", "--stdin", input=content).strip()
            entries.append(f"100644 blob {blob}\t{path}\n")
        tree = self.git(name, "mktree", input="".join(entries).encode()).strip()
        parent = self.head(name, branch)
        args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
        commit = self.git(name, *args).strip()
        self.git(name, "update-ref", f"refs/heads/{branch}", commit, parent or "0" * 40)
        return commit

    def refs(self, name: str) -> dict[str, str]:
        lines = self.git(name, "for-each-ref", "--format=%(refname) %(objectname)").splitlines()
        return dict(line.split(" ", 1) for line in lines)

    def head(self, name: str, branch: str) -> str | None:
        return self.refs(name).get(f"refs/heads/{branch}")

    def ls_tree(self, name: str, rev: str) -> dict[str, tuple[str, str]]:
        """path -> (mode, blob id) of every file of ``rev``."""
        files: dict[str, tuple[str, str]] = {}
        for line in self.git(name, "ls-tree", "-r", "-z", rev).split("\0"):
            if line:
                meta, path = line.split("\t", 1)
                mode, _, oid = meta.split()
                files[path] = (mode, oid)
        return files

    def cat(self, name: str, rev: str) -> str:
        return self.git(name, "cat-file", "-p", rev)

    def fsck(self, name: str) -> str:
        """``git fsck --strict --full`` of the repository; raises AssertionError on any finding."""
        result = subprocess.run(
            ["git", "--git-dir", str(self.path(name)), "fsck", "--strict", "--full", "--no-dangling"],
            capture_output=True,
            env=self.env,
            check=False,
            timeout=60,
        )
        output = (result.stdout + result.stderr).decode("utf-8", "replace")
        if result.returncode != 0 or "error" in output or "warning" in output:
            raise AssertionError(f"git fsck --strict {name}: {output}")
        return output

    def clone(self, name: str, dest: Path, user: str, password: str, branch: str) -> Path:
        """Clone over HTTP with the git binary (credentials in the URL)."""
        self.git(None, "clone", "--quiet", "--branch", branch, self.repo_url(name, user, password), str(dest))
        return dest


def github_push_delivery(target: str, branch: str, commit: str, webhook_secret: str) -> dict[str, Any]:
    """The event a push webhook in GitHub's format (also Gitea's and Forgejo's) reaches the git-webhook function with
    through its API Gateway route ``POST /{target}`` (payload format 2.0), signed with ``webhook_secret``."""
    body = json.dumps({"ref": f"refs/heads/{branch}", "after": commit}).encode()
    signature = "sha256=" + hmac.new(webhook_secret.encode(), body, hashlib.sha256).hexdigest()
    return {
        "rawPath": f"/{target}",
        "pathParameters": {"target": target},
        "headers": {"content-type": "application/json", "x-github-event": "push", "x-hub-signature-256": signature},
        "body": body.decode(),
        "isBase64Encoded": False,
        "requestContext": {"http": {"method": "POST"}},
    }
