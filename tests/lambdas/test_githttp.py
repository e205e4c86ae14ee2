"""githttp's fetch of one commit against a real git smart-HTTP server (``git http-backend``,
tests/harness/git_server.py), from a repository the real git binary made and repacked with ``git gc --aggressive``;
its pack parsing and tree walking on crafted input; and that the module is a library the Lambda zips can hold.

The pushing half of githttp (remotes, advertisements, reports, packs written) is tested through the git-seed
function (test_git_seed.py).
"""

from __future__ import annotations

import ast
import hashlib
import io
import random
import struct
import subprocess
import sys
import tarfile
import urllib.request
import zlib
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

import pytest

from mlops_templates.lambdas import githttp
from tests.harness.git_server import BasicAuth, GitServer

USER = "reader"
TOKEN = "glpat-R3ad0nlyT0ken"
REPO = "team/code.git"
FIRST_DATE = 1_700_000_000
HEAD_DATE = 1_710_000_000


class WorkTree:
    """A working copy, made and committed with the real git binary, that pushes to a bare repository of ``server``."""

    def __init__(self, server: GitServer, repo: str, path: Path) -> None:
        self.server = server
        self.repo = repo
        self.path = path
        path.mkdir(parents=True)
        self.git("init", "--quiet", "--initial-branch=main")

    def git(self, *args: str, date: int = FIRST_DATE) -> str:
        env = dict(self.server.env)
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date} +0000"
        result = subprocess.run(["git", *args], cwd=self.path, env=env, capture_output=True, check=False, timeout=60)
        if result.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {result.stderr.decode()}")
        return result.stdout.decode()

    def commit(
        self,
        files: Mapping[str, bytes | None],
        *,
        date: int = FIRST_DATE,
        executable: Collection[str] = (),
        symlinks: Mapping[str, str] | None = None,
        submodules: Mapping[str, str] | None = None,
        branch: str = "main",
        message: str = "Change",
    ) -> str:
        """Write (None: delete) ``files``, commit them to ``branch`` and push it; the new commit's id."""
        for name, content in files.items():
            path = self.path / name
            if content is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            path.chmod(0o755 if name in executable else 0o644)
        for name, target in (symlinks or {}).items():
            (self.path / name).parent.mkdir(parents=True, exist_ok=True)
            (self.path / name).symlink_to(target)
        self.git("add", "--all")
        for name, commit in (submodules or {}).items():
            self.git("update-index", "--add", "--cacheinfo", f"160000,{commit},{name}")
        self.git("commit", "--quiet", "--allow-empty", "-m", message, date=date)
        self.git("push", "--quiet", "--force", str(self.server.path(self.repo)), f"HEAD:refs/heads/{branch}")
        return self.git("rev-parse", "HEAD").strip()


def archive_files(server: GitServer, repo: str, commit: str) -> dict[str, tuple[bytes, bool]]:
    """path -> (content, executable) of the regular files ``git archive`` gives for ``commit``."""
    data = subprocess.run(
        ["git", "--git-dir", str(server.path(repo)), "archive", "--format=tar", commit],
        capture_output=True,
        check=True,
        env=server.env,
    ).stdout
    files: dict[str, tuple[bytes, bool]] = {}
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar.getmembers():
            if member.isreg():
                extracted = tar.extractfile(member)
                assert extracted is not None
                files[member.name] = (extracted.read(), bool(member.mode & 0o100))
    return files


def text_lines(count: int, seed: int) -> bytes:
    rng = random.Random(seed)
    words = ["model", "pipeline", "train", "deploy", "feature", "metric", "endpoint", "batch", "score", "data"]
    return "".join(f"{n:05d} {' '.join(rng.choice(words) for _ in range(8))}\n" for n in range(count)).encode()


BIG = text_lines(3000, 1)
BINARY = random.Random(2).randbytes(20_000) + b"\0" * 100


@dataclass(frozen=True)
class Upstream:
    server: GitServer
    head: str
    first: str


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Upstream]:
    """REPO with three commits; its head has nested directories, an executable, an empty and a binary file, two
    similar large files (so the pack sent holds deltas), a symbolic link and a submodule; repacked aggressively."""
    root = tmp_path_factory.mktemp("githttp")
    with GitServer(root / "git", auth=BasicAuth(USER, TOKEN)) as server:
        server.create_repo(REPO)
        work = WorkTree(server, REPO, root / "work")
        first = work.commit({"README.md": b"# code\n", "data/big.txt": BIG, "old.txt": b"old\n"}, date=FIRST_DATE)
        work.commit(
            {"data/big.txt": BIG.replace(b"00010 ", b"00010 changed "), "scripts/run.sh": b"#!/bin/sh\necho run\n"},
            date=FIRST_DATE + 100,
            executable={"scripts/run.sh"},
        )
        head = work.commit(
            {
                "old.txt": None,
                "data/deep/er/copy.txt": BIG.replace(b"00020 ", b"00020 copy "),
                "bin/model.bin": BINARY,
                "empty.txt": b"",
                "docs/na\u00efve.md": "caf\u00e9\n".encode(),
            },
            date=HEAD_DATE,
            symlinks={"link-to-readme": "README.md"},
            submodules={"vendor/lib": "1" * 40},
            message="Head",
        )
        server.git(REPO, "gc", "--aggressive", "--quiet")
        yield Upstream(server=server, head=head, first=first)


def client(server: GitServer, token: str = TOKEN, opener: githttp.Opener | None = None) -> githttp.GitHttp:
    remote = githttp.Remote(f"{server.url}/{REPO}", USER, token, "secret arn:test", f"https://git.example.com/{REPO}")
    return githttp.GitHttp(remote, opener)


@pytest.mark.parametrize("ofs_delta", [True, False], ids=["ofs-delta", "ref-delta"])
def test_fetch_commit_gives_the_files_of_git_archive(upstream: Upstream, ofs_delta: bool) -> None:
    snapshot = client(upstream.server).fetch_commit(upstream.head, ofs_delta=ofs_delta)

    # The pack really held deltas, of the kind asked for.
    delta = "ofs-delta" if ofs_delta else "ref-delta"
    assert snapshot.object_counts.get(delta, 0) > 0, snapshot.object_counts
    assert ("ref-delta" if ofs_delta else "ofs-delta") not in snapshot.object_counts
    assert snapshot.object_counts["commit"] == 1  # one commit: no history (deepen 1)

    expected = archive_files(upstream.server, REPO, upstream.head)
    assert [item.path for item in snapshot.files] == sorted(expected)
    assert {item.path: (item.content, item.executable) for item in snapshot.files} == expected
    listed = upstream.server.ls_tree(REPO, upstream.head)
    assert {item.path: item.mode for item in snapshot.files} == {
        path: mode for path, (mode, _) in listed.items() if mode.startswith("100")
    }
    assert snapshot.skipped == [("link-to-readme", "symbolic link"), ("vendor/lib", "submodule")]
    assert {path for path, (mode, _) in listed.items() if not mode.startswith("100")} == {
        "link-to-readme",
        "vendor/lib",
    }
    assert (snapshot.commit, snapshot.committer_time) == (upstream.head, HEAD_DATE)
    assert snapshot.tree == upstream.server.git(REPO, "rev-parse", f"{upstream.head}^{{tree}}").strip()


def test_upload_pack_advertisement_and_fetch_requests(upstream: Upstream) -> None:
    git = client(upstream.server)
    advert = git.advertisement("git-upload-pack")
    assert advert.refs["refs/heads/main"] == upstream.head and advert.has("shallow") and advert.has("ofs-delta")

    pack = git.fetch_pack(upstream.head, advert)
    parsed = githttp.parse_pack(pack, "test")
    assert sum(parsed.counts.values()) == struct.unpack(">I", pack[8:12])[0]
    assert githttp.object_id("commit", parsed.objects[upstream.head][1]) == upstream.head

    whole = githttp.parse_pack(git.fetch_pack(upstream.head, advert, depth=None), "test")
    assert upstream.first in whole.objects and upstream.first not in parsed.objects  # deepen 1: no history


class Corrupting:
    """An opener that changes the upload-pack answer with ``change`` (the real server's answer otherwise)."""

    def __init__(self, change: Any) -> None:
        self.change = change
        self.inner = githttp.default_opener()

    def __call__(self, request: urllib.request.Request, timeout: float) -> Any:
        response = self.inner(request, timeout)
        if not request.full_url.endswith("/git-upload-pack"):
            return response
        with response:
            return _Answer(dict(response.headers), self.change(bytes(response.read())))


class _Answer:
    def __init__(self, headers: dict[str, str], body: bytes) -> None:
        self.headers = headers
        self.body = io.BytesIO(body)

    def read(self, size: int = -1) -> bytes:
        return self.body.read(size)

    def __enter__(self) -> _Answer:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        return None


def flip(data: bytes, offset: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ 0x40]) + data[offset + 1 :]


def test_corrupted_pack_trailer_is_an_error_naming_the_repository(upstream: Upstream) -> None:
    git = client(upstream.server, opener=Corrupting(lambda answer: flip(answer, len(answer) - 1)))

    with pytest.raises(githttp.PackError, match="trailing SHA-1 does not match") as caught:
        git.fetch_commit(upstream.head)

    assert f"fetch of {upstream.head} from https://git.example.com/{REPO}" in str(caught.value)
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize("where", [0.3, 0.6, 0.9])
def test_corrupted_object_with_a_valid_trailer_is_an_error(upstream: Upstream, where: float) -> None:
    def corrupt(answer: bytes) -> bytes:
        start = answer.index(b"PACK")
        pack = answer[start:-20]
        pack = flip(pack, 12 + int((len(pack) - 12) * where))
        return answer[:start] + pack + hashlib.sha1(pack, usedforsecurity=False).digest()

    with pytest.raises(githttp.PackError, match=r"corrupt|truncated|lacks|does not hold"):
        client(upstream.server, opener=Corrupting(corrupt)).fetch_commit(upstream.head)


def test_truncated_answer_and_commit_not_advertised_are_errors(upstream: Upstream) -> None:
    halved = Corrupting(lambda answer: answer[: len(answer) // 2])
    with pytest.raises(githttp.PackError, match=r"trailing SHA-1|no git pack"):
        client(upstream.server, opener=halved).fetch_commit(upstream.head)

    with pytest.raises(githttp.GitProtocolError, match=rf"from https://git.example.com/{REPO}: the server refused"):
        client(upstream.server).fetch_commit("2" * 40)


def test_refused_credentials_name_the_source_not_the_token(upstream: Upstream) -> None:
    with pytest.raises(githttp.GitAuthError, match="the credentials of secret arn:test were refused") as caught:
        client(upstream.server, token="wrong-T0ken").fetch_commit(upstream.head)
    assert "wrong-T0ken" not in str(caught.value)


# --- packs, deltas and trees on crafted input ----------------------------------------------------------------------


def delta_size(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def test_apply_delta_copies_and_inserts() -> None:
    base = bytes(range(256)) * 300  # 76800 bytes
    copy_64k = bytes([0x80])  # offset 0, size 0 = 0x10000
    copy_tail = bytes([0x80 | 0x01 | 0x02 | 0x10, 0x00, 0x20, 0x05])  # offset 0x2000, size 5
    insert = bytes([3]) + b"new"
    target = base[:0x10000] + b"new" + base[0x2000:0x2005]
    delta = delta_size(len(base)) + delta_size(len(target)) + copy_64k + insert + copy_tail
    assert githttp.apply_delta(base, delta, "t") == target

    with pytest.raises(githttp.PackError, match="expects a base of 10 bytes"):
        githttp.apply_delta(base, delta_size(10) + delta_size(1) + b"\x01x", "t")
    beyond = delta_size(len(base)) + delta_size(10) + bytes([0x80 | 0x07 | 0x10, 0xFB, 0x2B, 0x01, 10])  # 76795 + 10
    with pytest.raises(githttp.PackError, match="copies beyond its base"):
        githttp.apply_delta(base, beyond, "t")
    with pytest.raises(githttp.PackError, match="reserved delta instruction"):
        githttp.apply_delta(base, delta_size(len(base)) + delta_size(1) + b"\x00", "t")
    with pytest.raises(githttp.PackError, match="makes 3 bytes, not 4"):
        githttp.apply_delta(base, delta_size(len(base)) + delta_size(4) + insert, "t")
    with pytest.raises(githttp.PackError, match="truncated delta"):
        githttp.apply_delta(base, delta_size(len(base)) + delta_size(4) + bytes([0x80 | 0x01]), "t")


def pack_of(entries: Sequence[bytes], count: int | None = None) -> bytes:
    pack = b"PACK" + struct.pack(">II", 2, len(entries) if count is None else count) + b"".join(entries)
    return pack + hashlib.sha1(pack, usedforsecurity=False).digest()


def entry(kind: int, size: int, data: bytes, extra: bytes = b"") -> bytes:
    assert size < 16
    return bytes([(kind << 4) | size]) + extra + zlib.compress(data)


def test_written_packs_parse_back_and_deltas_resolve_in_any_order() -> None:
    objects = [("blob", b"hello\n"), ("blob", b"x" * 100_000), ("tree", b""), ("commit", b"tree 0\n")]
    parsed = githttp.parse_pack(githttp.write_pack(objects), "t")
    assert parsed.objects == {githttp.object_id(kind, data): (kind, data) for kind, data in objects}
    assert parsed.counts == {"blob": 2, "tree": 1, "commit": 1}

    # A REF_DELTA before its base, whose base is an OFS_DELTA: resolved in a second pass.
    base = b"abcdefghij"
    middle = b"abcdefghij+"  # OFS_DELTA of base
    last = b"abcdefghij+!"  # REF_DELTA of middle
    to_middle = delta_size(10) + delta_size(11) + bytes([0x90, 10]) + b"\x01+"
    to_last = delta_size(11) + delta_size(12) + bytes([0x90, 11]) + b"\x01!"
    first = entry(7, len(to_last), to_last, bytes.fromhex(githttp.object_id("blob", middle)))
    second = entry(3, 10, base)
    distance = len(second)
    third = entry(6, len(to_middle), to_middle, bytes([distance]))
    parsed = githttp.parse_pack(pack_of([first, second, third]), "t")
    assert {data for _, data in parsed.objects.values()} == {base, middle, last}
    assert parsed.counts == {"ref-delta": 1, "blob": 1, "ofs-delta": 1}

    with pytest.raises(githttp.PackError, match=r"lacks the base object\(s\) of 1 delta"):
        githttp.parse_pack(pack_of([first, second]), "t")
    with pytest.raises(githttp.PackError, match="has no base object"):
        githttp.parse_pack(pack_of([third]), "t")
    with pytest.raises(githttp.PackError, match="inflates to more than its stated 3 bytes"):
        githttp.parse_pack(pack_of([entry(3, 3, b"four")]), "t")
    with pytest.raises(githttp.PackError, match="object type 5"):
        githttp.parse_pack(pack_of([entry(5, 1, b"x")]), "t")
    with pytest.raises(githttp.PackError, match="bytes after the 1 objects"):
        githttp.parse_pack(pack_of([second, second], count=1), "t")


def tree_entry(mode: str, name: bytes, oid: str) -> bytes:
    return mode.encode() + b" " + name + b"\0" + bytes.fromhex(oid)


@pytest.mark.parametrize("name", [b"..", b".git", b".GIT", b"."])
def test_unsafe_names_in_a_tree_are_refused(name: bytes) -> None:
    blob = githttp.object_id("blob", b"x")
    tree = tree_entry("100644", name, blob)
    commit = f"tree {githttp.object_id('tree', tree)}\ncommitter a <a> 1 +0000\n\nm\n".encode()
    objects: githttp.Objects = {
        blob: ("blob", b"x"),
        githttp.object_id("tree", tree): ("tree", tree),
        githttp.object_id("commit", commit): ("commit", commit),
    }
    with pytest.raises(githttp.PackError, match="unsafe path"):
        githttp.read_snapshot(objects, githttp.object_id("commit", commit), "t")


def test_huge_objects_and_trees_from_small_packs_are_refused() -> None:
    copies = delta_size(10) + delta_size(10 * 0x10000) + bytes([0x80]) * 10  # 10 bytes of delta make 640 KiB
    with pytest.raises(githttp.PackError, match="makes an object of 655360 bytes, over the limit of 65536"):
        githttp.apply_delta(b"0123456789", copies, "t", max_size=0x10000)

    objects: githttp.Objects = {}
    blob = githttp.object_id("blob", b"x")
    objects[blob] = ("blob", b"x")
    tree = tree_entry("100644", b"a", blob) + tree_entry("100644", b"b", blob)
    for _ in range(3):  # each level names the one below twice: 2 ** 4 files
        oid = githttp.object_id("tree", tree)
        objects[oid] = ("tree", tree)
        tree = tree_entry("40000", b"l", oid) + tree_entry("40000", b"r", oid)
    root = githttp.object_id("tree", tree)
    objects[root] = ("tree", tree)
    commit = f"tree {root}\ncommitter a <a> 1 +0000\n\nm\n".encode()
    objects[githttp.object_id("commit", commit)] = ("commit", commit)
    snapshot = githttp.read_snapshot(objects, githttp.object_id("commit", commit), "t")
    assert len(snapshot.files) == 16 and snapshot.files[0].path == "l/l/l/a"
    with pytest.raises(githttp.PackError, match="more than 15 files"):
        githttp.read_snapshot(objects, githttp.object_id("commit", commit), "t", max_files=15)


def test_upload_pack_answers_are_read() -> None:
    pack = githttp.write_pack([("blob", b"x")])
    shallow = githttp.pkt_line(b"shallow " + b"a" * 40 + b"\n") + b"0000"
    assert githttp.extract_pack(shallow + githttp.pkt_line(b"NAK\n") + pack, "t") == pack
    with pytest.raises(githttp.GitProtocolError, match="t: the server refused: upload-pack: not our ref"):
        githttp.extract_pack(githttp.pkt_line(b"ERR upload-pack: not our ref 22\n"), "t")
    with pytest.raises(githttp.GitProtocolError, match="no pack after 'NAK'"):
        githttp.extract_pack(githttp.pkt_line(b"NAK\n") + b"junk", "t")


# --- the module as a Lambda library -------------------------------------------------------------------------------


def absolute_imports(module: ModuleType) -> set[str]:
    """The top-level names of the modules a source file imports (relative imports left out)."""
    assert module.__file__ is not None
    modules: set[str] = set()
    for node in ast.walk(ast.parse(Path(module.__file__).read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names)


def load_alone(modules: Sequence[ModuleType], tmp_path: Path, expression: str) -> list[str]:
    """Import ``modules[0]`` as the Lambda runtime does: the files of its zip alone in a folder, outside the package;
    the words ``expression`` prints, then whether anything of mlops_templates was imported."""
    for module in modules:
        assert module.__file__ is not None
        (tmp_path / Path(module.__file__).name).write_bytes(Path(module.__file__).read_bytes())
    name = modules[0].__name__.rsplit(".", 1)[-1]
    probe = f"import sys, {name}; print({expression}, any(m.startswith('mlops_templates') for m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r}); {probe}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    return result.stdout.split()


def test_module_is_a_library_of_the_standard_library_and_boto3(tmp_path: Path) -> None:
    assert absolute_imports(githttp) <= {"boto3", "botocore"}
    assert not hasattr(githttp, "__version__")  # a library: its functions' versions are their handlers'
    assert load_alone([githttp], tmp_path, "githttp.ZERO_ID") == [githttp.ZERO_ID, "False"]
