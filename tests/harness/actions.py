"""A small local runner of GitHub Actions jobs: the ``run:`` steps for real, with bash, in a folder standing for the
checkout; each ``uses:`` step replaced by a local equivalent the test gives (:class:`LocalAction`).

What it implements of GitHub's runner, and nothing more (anything else is refused, so that a workflow using it fails
the test instead of running differently):

* expressions ``${{ ... }}``: contexts ``github``, ``env``, ``needs``, ``steps``, ``matrix``, ``job``, ``runner``;
  literals, property access (``a.b``, ``a['b']``), ``!``, ``==``, ``!=``, ``&&``, ``||``, parentheses, and the
  functions ``fromJSON``, ``toJSON``, ``success``, ``failure``, ``always``, ``cancelled``. ``==`` compares strings
  case-insensitively, as GitHub does. A ``run:`` script holding ``${{`` is refused (values go through ``env:``).
* ``if:`` of jobs and steps (an implicit ``success() &&``), ``needs`` outputs, ``env`` of the workflow, job and step,
  ``defaults.run.shell`` (bash only: ``bash --noprofile --norc -eo pipefail {0}``, GitHub's ``shell: bash``), a
  one-dimension ``strategy.matrix`` run in order, one job at a time, stopping at the first failure (``fail-fast``).
* the files of a step: ``GITHUB_ENV`` (``NAME=value`` and ``NAME<<DELIM`` lines, for the later steps),
  ``GITHUB_OUTPUT`` (the step's outputs), ``GITHUB_PATH``, ``GITHUB_STEP_SUMMARY``; GitHub's default variables
  (``GITHUB_WORKSPACE``, ``GITHUB_REF_NAME``, ``GITHUB_EVENT_NAME``, ``RUNNER_TEMP``...).

A failing step raises :class:`StepFailed` with its command and output.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
TOKEN = re.compile(
    r"\s*(?:(?P<number>-?\d+(?:\.\d+)?)|(?P<string>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||[!().,\[\]])"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*))"
)
FUNCTIONS = frozenset({"fromjson", "tojson", "success", "failure", "always", "cancelled"})
CONTEXTS = frozenset({"github", "env", "needs", "steps", "matrix", "job", "runner", "strategy", "inputs", "vars"})
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]


class WorkflowError(Exception):
    """The workflow uses something this runner does not implement, or is malformed."""


class StepFailed(AssertionError):
    """A step exited non-zero (or a local action failed): its job, name, command and output."""


def load_workflow(path: Path) -> dict[str, Any]:
    """A workflow file as data; YAML 1.1's ``on: true`` key is given back its name."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), dict):
        raise WorkflowError(f"{path}: not a workflow (no jobs)")
    if True in data:
        data["on"] = data.pop(True)
    return data


# --- expressions ------------------------------------------------------------------------------------------------


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise WorkflowError(f"cannot parse expression {text!r} at {text[position:]!r}")
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent over the tokens: or > and > equality > unary > postfix > primary."""

    def __init__(self, text: str, context: Mapping[str, Any], status: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.position = 0
        self.context = context
        self.status = status

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise WorkflowError(f"expression {self.text!r}: expected {value or 'more'}, found {token}")
        self.position += 1
        return token

    def parse(self) -> Any:
        value = self.disjunction()
        if self.peek() is not None:
            raise WorkflowError(f"expression {self.text!r}: unexpected {self.peek()}")
        return value

    def disjunction(self) -> Any:
        value = self.conjunction()
        while self.peek() == ("op", "||"):
            self.take()
            right = self.conjunction()
            value = value if truthy(value) else right
        return value

    def conjunction(self) -> Any:
        value = self.equality()
        while self.peek() == ("op", "&&"):
            self.take()
            right = self.equality()
            value = right if truthy(value) else value
        return value

    def equality(self) -> Any:
        value = self.unary()
        while self.peek() in (("op", "=="), ("op", "!=")):
            operator = self.take()[1]
            right = self.unary()
            equal = loose_equal(value, right)
            value = equal if operator == "==" else not equal
        return value

    def unary(self) -> Any:
        if self.peek() == ("op", "!"):
            self.take()
            return not truthy(self.unary())
        return self.postfix()

    def postfix(self) -> Any:
        value = self.primary()
        while self.peek() in (("op", "."), ("op", "[")):
            if self.take()[1] == ".":
                kind, name = self.take()
                if kind != "name":
                    raise WorkflowError(f"expression {self.text!r}: property name expected after '.'")
                value = _member(value, name)
            else:
                key = self.disjunction()
                self.take("]")
                value = _member(value, key)
        return value

    def primary(self) -> Any:
        kind, value = self.take()
        if kind == "number":
            return float(value) if "." in value else int(value)
        if kind == "string":
            return value[1:-1].replace("''", "'")
        if kind == "op" and value == "(":
            inner = self.disjunction()
            self.take(")")
            return inner
        if kind != "name":
            raise WorkflowError(f"expression {self.text!r}: unexpected {value!r}")
        lowered = value.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        if lowered == "null":
            return None
        if self.peek() == ("op", "("):
            return self.call(lowered)
        if value not in CONTEXTS:
            raise WorkflowError(f"expression {self.text!r}: unknown context {value!r}")
        return self.context.get(value, {})

    def call(self, name: str) -> Any:
        if name not in FUNCTIONS:
            raise WorkflowError(f"expression {self.text!r}: function {name} is not implemented here")
        self.take("(")
        args: list[Any] = []
        while self.peek() != ("op", ")"):
            args.append(self.disjunction())
            if self.peek() == ("op", ","):
                self.take()
        self.take(")")
        if name == "fromjson":
            return json.loads(str(args[0]))
        if name == "tojson":
            return json.dumps(args[0], indent=2)
        return {
            "success": self.status == "success",
            "failure": self.status == "failure",
            "always": True,
            "cancelled": False,
        }[name]


def _member(value: Any, key: Any) -> Any:
    if isinstance(value, Mapping):
        return value.get(key)
    if isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
        return value[key]
    return None


def truthy(value: Any) -> bool:
    """GitHub's truthiness: false, 0, -0, '', null (and NaN) are false."""
    return value not in (False, 0, "", None)


def loose_equal(left: Any, right: Any) -> bool:
    """GitHub's ==: strings case-insensitively; a number and a string as numbers; otherwise by value."""
    if isinstance(left, str) and isinstance(right, str):
        return left.lower() == right.lower()
    if isinstance(left, bool) or isinstance(right, bool) or left is None or right is None:
        return bool(left == right)
    if isinstance(left, (int, float)) or isinstance(right, (int, float)):
        try:
            return float(left) == float(right)
        except (TypeError, ValueError):
            return False
    return bool(left == right)


def evaluate(expression: str, context: Mapping[str, Any], status: str = "success") -> Any:
    """The value of one expression (without ``${{ }}``)."""
    return _Parser(expression, context, status).parse()


def as_string(value: Any) -> str:
    """How GitHub writes a value into a string: booleans lowercase, null empty, objects as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def substitute(value: Any, context: Mapping[str, Any]) -> Any:
    """``value`` with its expressions evaluated: a string that is one whole expression keeps the value's type
    (e.g. a matrix list from ``fromJSON``); expressions inside text become text; lists and mappings recursively."""
    if isinstance(value, str):
        whole = EXPRESSION.fullmatch(value.strip())
        if whole:
            return evaluate(whole.group(1), context)
        return EXPRESSION.sub(lambda m: as_string(evaluate(m.group(1), context)), value)
    if isinstance(value, list):
        return [substitute(v, context) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, context) for k, v in value.items()}
    return value


def condition(text: Any, context: Mapping[str, Any], status: str) -> bool:
    """An ``if:`` (with or without ``${{ }}``); without a status function it means ``success() && (...)``."""
    if text is None:
        return status == "success"
    if isinstance(text, bool):
        return text and status == "success"
    expression = str(text).strip()
    whole = EXPRESSION.fullmatch(expression)
    if whole:
        expression = whole.group(1)
    if not re.search(r"\b(success|failure|always|cancelled)\s*\(", expression, re.IGNORECASE):
        expression = f"success() && ({expression})"
    return truthy(evaluate(expression, context, status))


# --- running jobs -----------------------------------------------------------------------------------------------


@dataclass
class ActionCall:
    """A ``uses:`` step as its local equivalent sees it; it may change the job's ``env`` and ``path``."""

    uses: str
    inputs: dict[str, str]
    workspace: Path  # the job's GITHUB_WORKSPACE, empty until a checkout
    repository: Path  # the repository's files at the run's commit (what a checkout copies)
    env: dict[str, str]
    path: list[str]
    outputs: dict[str, str] = field(default_factory=dict)


LocalAction = Callable[[ActionCall], None]


@dataclass
class StepResult:
    name: str
    outcome: str  # success, failure or skipped
    outputs: dict[str, str]
    log: str = ""
    seconds: float = 0.0


@dataclass
class JobResult:
    job_id: str
    result: str  # success or skipped
    outputs: dict[str, str]
    steps: list[StepResult]
    env: dict[str, str]
    environment: str | None = None
    matrix: dict[str, Any] = field(default_factory=dict)
    summary: str = ""


def parse_env_file(text: str) -> dict[str, str]:
    """The ``NAME=value`` and ``NAME<<DELIMITER`` ... ``DELIMITER`` lines of GITHUB_ENV or GITHUB_OUTPUT."""
    values: dict[str, str] = {}
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.strip():
            continue
        heredoc = re.match(r"^([^=<]+)<<(.+)$", line)
        if heredoc:
            name, delimiter = heredoc.groups()
            body: list[str] = []
            while index < len(lines) and lines[index] != delimiter:
                body.append(lines[index])
                index += 1
            if index >= len(lines):
                raise WorkflowError(f"{name}<<{delimiter}: the delimiter never comes")
            index += 1
            values[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
        else:
            raise WorkflowError(f"invalid line {line!r} (neither NAME=value nor NAME<<DELIMITER)")
    return values


@dataclass
class LocalRunner:
    """Runs the jobs of one workflow of ``repository`` (the repository's files at the run's commit). Each job, and each
    matrix job, gets a new empty workspace, as on a new GitHub-hosted runner; the checkout action fills it.

    ``github`` is the github context (ref, ref_name, event_name, event, run_id...); ``base_env`` the environment of
    the runner image (PATH, HOME, ...); ``actions`` the local equivalent of each ``uses:`` value the jobs hold.
    """

    workflow_path: Path
    repository: Path
    scratch: Path
    github: dict[str, Any]
    base_env: dict[str, str]
    actions: Mapping[str, LocalAction]
    timeout: int = 900
    workflow: dict[str, Any] = field(init=False)
    jobs_started: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.workflow = load_workflow(self.workflow_path)

    def job(self, job_id: str) -> dict[str, Any]:
        job = self.workflow["jobs"].get(job_id)
        if not isinstance(job, dict):
            raise WorkflowError(f"{self.workflow_path}: no job {job_id!r}")
        return job

    def needs_context(self, job_id: str, done: Mapping[str, JobResult | list[JobResult]]) -> dict[str, Any]:
        needs = self.job(job_id).get("needs", [])
        names = [needs] if isinstance(needs, str) else list(needs)
        context: dict[str, Any] = {}
        for name in names:
            if name not in done:
                raise WorkflowError(f"job {job_id} needs {name}, which has not run")
            ran = done[name]
            results = ran if isinstance(ran, list) else [ran]
            outcome = "success" if all(r.result == "success" for r in results) else "skipped"
            outputs = results[-1].outputs if results else {}
            context[name] = {"result": outcome, "outputs": outputs}
        return context

    def matrix(self, job_id: str, done: Mapping[str, JobResult | list[JobResult]]) -> list[dict[str, Any]]:
        """The matrix combinations of a job, in order (one-dimension matrices only)."""
        strategy = self.job(job_id).get("strategy")
        if strategy is None:
            return [{}]
        unknown = set(strategy) - {"matrix", "max-parallel", "fail-fast"}
        if unknown or strategy.get("max-parallel") != 1 or strategy.get("fail-fast") is not True:
            raise WorkflowError(f"job {job_id}: this runner runs matrices one job at a time, failing fast: {strategy}")
        context = {"github": self.github, "needs": self.needs_context(job_id, done)}
        matrix = strategy["matrix"]
        if not isinstance(matrix, dict) or len(matrix) != 1:
            raise WorkflowError(f"job {job_id}: only a one-dimension matrix is implemented, not {matrix}")
        ((name, values),) = matrix.items()
        values = substitute(values, context)
        if not isinstance(values, list) or not values:
            raise WorkflowError(f"job {job_id}: matrix.{name} is not a non-empty list: {values!r}")
        return [{name: value} for value in values]

    def run(self, job_id: str, done: Mapping[str, JobResult | list[JobResult]]) -> list[JobResult]:
        """Every matrix job of ``job_id`` in order; the first failure raises (fail-fast: the others do not run)."""
        needs = self.needs_context(job_id, done)
        if not condition(self.job(job_id).get("if"), {"github": self.github, "needs": needs}, self._status(needs)):
            return [JobResult(job_id, "skipped", {}, [], {})]
        return [self.run_one(job_id, done, combination) for combination in self.matrix(job_id, done)]

    @staticmethod
    def _status(needs: Mapping[str, Any]) -> str:
        return "success" if all(n["result"] == "success" for n in needs.values()) else "skipped"

    def run_one(
        self, job_id: str, done: Mapping[str, JobResult | list[JobResult]], matrix: Mapping[str, Any]
    ) -> JobResult:
        job = self.job(job_id)
        unknown = set(job) - {
            "name",
            "needs",
            "if",
            "runs-on",
            "timeout-minutes",
            "permissions",
            "outputs",
            "steps",
            "env",
            "strategy",
            "environment",
        }
        if unknown:
            raise WorkflowError(f"job {job_id}: keys not implemented here: {sorted(unknown)}")
        shell = ((self.workflow.get("defaults") or {}).get("run") or {}).get("shell")
        self.jobs_started += 1
        job_dir = self.scratch / f"{self.jobs_started:02d}-{job_id}-{'-'.join(map(str, matrix.values())) or 'job'}"
        workspace, temp = job_dir / "workspace", job_dir / "temp"
        workspace.mkdir(parents=True)
        temp.mkdir()
        context: dict[str, Any] = {
            "github": self.github,
            "needs": self.needs_context(job_id, done),
            "matrix": dict(matrix),
            "steps": {},
            "runner": {"os": "Linux", "temp": str(temp)},
            "job": {},
            "env": {},
        }
        env: dict[str, str] = {}
        for scope in (self.workflow.get("env") or {}, job.get("env") or {}):
            for key, value in scope.items():
                env[key] = as_string(substitute(value, {**context, "env": dict(env)}))
        context["env"] = dict(env)
        environment = job.get("environment")
        environment_name = as_string(substitute(environment, context)) if environment is not None else None
        path: list[str] = []
        summary = ""
        steps: list[StepResult] = []
        status = "success"
        for index, step in enumerate(job.get("steps") or []):
            name = str(step.get("name") or step.get("uses") or step.get("run", "")[:40])
            step_id = step.get("id")
            context["env"] = dict(env)
            if not condition(step.get("if"), context, status):
                steps.append(StepResult(name, "skipped", {}))
                continue
            step_env = {k: as_string(substitute(v, context)) for k, v in (step.get("env") or {}).items()}
            files = {
                kind: temp / f"step{index}-{kind.lower()}"
                for kind in ("GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_STEP_SUMMARY")
            }
            for file in files.values():
                file.write_text("")
            process_env = {
                **self.base_env,
                **self.defaults(workspace, temp, environment_name),
                **env,
                **step_env,
                **{k: str(v) for k, v in files.items()},
            }
            process_env["PATH"] = os.pathsep.join([*reversed(path), self.base_env.get("PATH", "/usr/bin:/bin")])
            outputs: dict[str, str] = {}
            started = time.monotonic()
            if "run" in step:
                log = self.run_script(job_id, name, step, shell, process_env, workspace)
            elif "uses" in step:
                log = self.use(job_id, name, step, context, env, path, outputs, workspace)
            else:
                raise WorkflowError(f"job {job_id}: step {name} has neither run nor uses")
            env.update(parse_env_file(files["GITHUB_ENV"].read_text()))
            outputs.update(parse_env_file(files["GITHUB_OUTPUT"].read_text()))
            path.extend(line for line in files["GITHUB_PATH"].read_text().splitlines() if line.strip())
            summary += files["GITHUB_STEP_SUMMARY"].read_text()
            steps.append(StepResult(name, "success", outputs, log, time.monotonic() - started))
            if step_id:
                context["steps"][step_id] = {"outputs": outputs, "outcome": "success", "conclusion": "success"}
        context["env"] = dict(env)
        job_outputs = {k: as_string(substitute(v, context)) for k, v in (job.get("outputs") or {}).items()}
        return JobResult(job_id, "success", job_outputs, steps, env, environment_name, dict(matrix), summary)

    def defaults(self, workspace: Path, temp: Path, environment: str | None) -> dict[str, str]:
        """GitHub's default variables of a step."""
        github = self.github
        return {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_REF": str(github.get("ref", "")),
            "GITHUB_REF_NAME": str(github.get("ref_name", "")),
            "GITHUB_SHA": str(github.get("sha", "")),
            "GITHUB_EVENT_NAME": str(github.get("event_name", "")),
            "GITHUB_REPOSITORY": str(github.get("repository", "")),
            "GITHUB_RUN_ID": str(github.get("run_id", "")),
            "GITHUB_RUN_ATTEMPT": str(github.get("run_attempt", "")),
            "RUNNER_OS": "Linux",
            "RUNNER_TEMP": str(temp),
            **({"GITHUB_ENVIRONMENT": environment} if environment else {}),
        }

    def run_script(
        self,
        job_id: str,
        name: str,
        step: Mapping[str, Any],
        shell: str | None,
        env: dict[str, str],
        workspace: Path,
    ) -> str:
        script = str(step["run"])
        if "${{" in script:
            raise WorkflowError(f"job {job_id}: step {name}: an expression inside run: (pass it through env:)")
        if (step.get("shell") or shell) != "bash":
            raise WorkflowError(f"job {job_id}: step {name}: only shell: bash is implemented here")
        if "working-directory" in step:
            raise WorkflowError(f"job {job_id}: step {name}: working-directory is not implemented here")
        script_path = Path(env["RUNNER_TEMP"]) / f"{re.sub(r'[^A-Za-z0-9]+', '-', name)[:40]}.sh"
        script_path.write_text(script)
        proc = subprocess.run(
            [*BASH, str(script_path)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=self.timeout,
            check=False,
        )
        log = proc.stdout + proc.stderr
        if proc.returncode != 0:
            raise StepFailed(
                f"job {job_id}: step {name!r} exited {proc.returncode}\n--- script\n{script}\n"
                f"--- stdout\n{proc.stdout[-6000:]}\n--- stderr\n{proc.stderr[-6000:]}"
            )
        return log

    def use(
        self,
        job_id: str,
        name: str,
        step: Mapping[str, Any],
        context: Mapping[str, Any],
        env: dict[str, str],
        path: list[str],
        outputs: dict[str, str],
        workspace: Path,
    ) -> str:
        uses = str(step["uses"])
        action = self.actions.get(uses)
        if action is None:
            raise WorkflowError(
                f"job {job_id}: step {name}: no local equivalent of {uses} (known: {sorted(self.actions)})"
            )
        inputs = {k: as_string(substitute(v, context)) for k, v in (step.get("with") or {}).items()}
        call = ActionCall(uses, inputs, workspace, self.repository, env, path, outputs)
        try:
            action(call)
        except StepFailed:
            raise
        except Exception as err:  # any failure of a local action fails its step, with the reason
            raise StepFailed(f"job {job_id}: step {name!r} ({uses} with {inputs}) failed: {err!r}") from err
        return f"{uses} {inputs}"
