"""A small local stand-in for a GitHub Actions runner, to run the example workflows for real.

:func:`run` runs a workflow's jobs in order and each job's steps in order, as GitHub
does, with only what GitHub alone provides stood in for:

* ``run:`` steps run as GitHub runs them, ``bash --noprofile --norc -eo pipefail FILE``,
  in the job's workspace, with the workflow's, the job's and the step's ``env:`` merged
  (in that order) and every ``${{ ... }}`` replaced by its value. Only plain context
  look-ups are known (``secrets.X``, ``vars.X``, ``env.X``, ``steps.ID.outputs.X``);
  anything else, or a secret or variable :class:`Github` was not given, stops the run
  (:class:`WorkflowError`) rather than quietly becoming "".
* ``uses:`` steps cannot run here. The actions these workflows use are done by hand in
  :data:`ACTIONS` (a checkout copies the repository into the workspace; the Pages and
  AWS actions record what they were given and set what they would set); any other
  action stops the run, so a new one cannot slip in unrun.
* The ``Install pe-schedule`` step (``pip install`` from git; there is no network here)
  is replaced by putting this project's virtual environment first on ``PATH``: the
  steps after it run this checkout's ``pe-schedule``, as a separate process.

The first step that fails ends its job, and the jobs that need it are skipped, as on
GitHub by default. Keys that would change how a step runs (``if:``, ``shell:``,
``working-directory:``, ``continue-on-error:``...) are not implemented: a workflow that
uses one stops the run instead of being run wrongly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

import pe_schedule

#: The virtual environment running the tests: its ``bin`` holds ``python`` and ``pe-schedule``.
VENV_BIN = Path(sys.executable).parent
#: Where the ``pe_schedule`` under test comes from. The subprocesses import it from here, so
#: they run this checkout's code whatever the environment's own install points at.
SOURCE = Path(pe_schedule.__file__).parent.parent
#: The step that installs pe-schedule from its git tag, replaced by :data:`VENV_BIN`.
INSTALL_STEP = "Install pe-schedule"
#: How long one ``run:`` step may take before the run is abandoned.
STEP_TIMEOUT = 300

WORKFLOW_KEYS = {"name", "on", "permissions", "concurrency", "env", "jobs"}
JOB_KEYS = {"runs-on", "needs", "permissions", "environment", "env", "steps"}
STEP_KEYS = {"name", "id", "uses", "with", "run", "env"}

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class WorkflowError(Exception):
    """The workflow uses something this runner cannot run faithfully."""


@attrs.frozen(kw_only=True)
class Github:
    """What GitHub gives a run that this machine cannot: secrets, variables, addresses."""

    #: Repository secrets. GitHub gives "" for one that is not set, which is what a
    #: repository without the feed key gets.
    secrets: Mapping[str, str] = attrs.field(factory=lambda: {"PE_SCHEDULE_FEED_KEY": ""})
    #: Repository variables (Settings > Secrets and variables > Actions > Variables).
    vars: Mapping[str, str] = attrs.field(factory=dict)
    #: The Pages address ``actions/configure-pages`` finds for the repository.
    pages_url: str = "https://owner.github.io/repo"
    #: What ``aws-actions/configure-aws-credentials`` exports to the later steps in place
    #: of the role's short-lived credentials (empty: the action fails).
    aws: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class StepResult:
    """One step that ran: its job, name, exit status and output (``uses:`` steps: 0, "")."""

    job: str
    name: str
    returncode: int
    stdout: str = ""
    stderr: str = ""


@attrs.define
class Run:
    """What a run did, step by step, and what it handed to GitHub Pages."""

    #: Every step that ran, in order; the last one failed if the run did.
    steps: list[StepResult] = attrs.field(factory=list)
    #: Each job's workspace (its ``GITHUB_WORKSPACE``), for the jobs that started.
    workspaces: dict[str, Path] = attrs.field(factory=dict)
    #: Jobs not run because a job they need failed or was skipped.
    skipped: list[str] = attrs.field(factory=list)
    #: The folder ``actions/upload-pages-artifact`` would archive and upload.
    artifact: Path | None = None
    #: The folder ``actions/deploy-pages`` would publish (the uploaded artifact).
    deployed: Path | None = None
    #: Each job's ``environment.url``, as GitHub shows it once the job is done.
    environment_urls: dict[str, str] = attrs.field(factory=dict)

    @property
    def failed(self) -> StepResult | None:
        """The step that failed, or ``None`` if every step passed."""
        return next((step for step in self.steps if step.returncode != 0), None)

    def step(self, name: str) -> StepResult:
        """The step called ``name`` (it must have run, once)."""
        (found,) = [step for step in self.steps if step.name == name]
        return found


@attrs.define
class _Job:
    """One job as it runs: its workspace, what earlier steps exported, their outputs."""

    name: str
    workspace: Path
    temp: Path
    repository: Path
    github: Github
    run: Run
    env: dict[str, str]
    outputs: dict[str, str] = attrs.field(factory=dict)


def run(workflow: Mapping[Any, Any], repository: Path, root: Path, github: Github) -> Run:
    """Run ``workflow`` on a checkout of ``repository``, each job in a fresh folder of
    ``root`` (as each job gets a fresh machine); stop at the first failing step."""
    # PyYAML reads the key ``on`` as True (YAML 1.1): name it as GitHub does.
    keys = {"on" if key is True else key for key in workflow}
    _refuse_unknown("workflow", keys, WORKFLOW_KEYS)
    done = Run()
    failed: set[str] = set()
    for name, job in workflow["jobs"].items():
        _refuse_unknown(f"job {name}", set(job), JOB_KEYS)
        needs = job.get("needs", [])
        needs = {needs} if isinstance(needs, str) else set(needs)
        if not needs <= set(done.workspaces) | failed:
            raise WorkflowError(f"job {name}: needs {sorted(needs)}, not all of them earlier")
        if needs & failed:
            done.skipped.append(name)
            failed.add(name)
            continue
        if job["runs-on"] != "ubuntu-latest":
            raise WorkflowError(f"job {name}: runs-on {job['runs-on']!r}, only ubuntu-latest here")
        if not _run_job(name, job, workflow.get("env", {}), repository, root / name, github, done):
            failed.add(name)
    return done


def _run_job(
    name: str,
    job: Mapping[str, Any],
    workflow_env: Mapping[str, str],
    repository: Path,
    root: Path,
    github: Github,
    done: Run,
) -> bool:
    """Run one job's steps into ``done``; whether they all passed."""
    state = _Job(
        name=name,
        workspace=root / "workspace",
        temp=root / "temp",
        repository=repository,
        github=github,
        run=done,
        env=base_environment(root / "home"),
    )
    for folder in (state.workspace, state.temp, root / "home"):
        folder.mkdir(parents=True)
    state.env |= {"GITHUB_WORKSPACE": str(state.workspace), "RUNNER_TEMP": str(state.temp)}
    done.workspaces[name] = state.workspace
    env = _evaluated(workflow_env, state) | _evaluated(job.get("env", {}), state)
    for step in job["steps"]:
        _refuse_unknown(f"job {name}, step {step}", set(step), STEP_KEYS)
        result = _run_step(step, env, state)
        done.steps.append(result)
        if result.returncode != 0:
            return False
    url = job.get("environment", {}).get("url")
    if url is not None:
        done.environment_urls[name] = _substitute(url, state, {})
    return True


def _run_step(step: Mapping[str, Any], job_env: Mapping[str, str], state: _Job) -> StepResult:
    env = {**job_env, **_evaluated(step.get("env", {}), state, job_env)}
    name = str(step.get("name") or step.get("uses") or step["run"].splitlines()[0])
    if name == INSTALL_STEP:
        return _install(step, state)
    if "uses" in step:
        action = str(step["uses"]).split("@")[0]
        if action not in ACTIONS:
            raise WorkflowError(f"step {name!r}: uses {step['uses']}, an action not run here")
        inputs = {k: _substitute(str(v), state, env) for k, v in step.get("with", {}).items()}
        outputs = ACTIONS[action](state, inputs)
        if "id" in step:
            state.outputs |= {f"{step['id']}.outputs.{k}": v for k, v in outputs.items()}
        return StepResult(state.name, name, 0)
    if "id" in step:
        raise WorkflowError(f"step {name!r}: outputs of a run step are not implemented")
    script = state.temp / f"step-{len(state.run.steps)}.sh"
    script.write_text(_substitute(step["run"], state, env), encoding="utf-8")
    ran = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=state.workspace,
        env={**state.env, **env},
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    return StepResult(state.name, name, ran.returncode, ran.stdout, ran.stderr)


def base_environment(home: Path) -> dict[str, str]:
    """The environment a step starts from: a fresh ``HOME`` (no ``~/.aws`` of this machine's),
    no feed key, no AWS settings; ``PATH`` without this project's virtual environment,
    which only the install step brings."""
    path = [part for part in os.environ["PATH"].split(os.pathsep) if Path(part) != VENV_BIN]
    return {
        "PATH": os.pathsep.join(path),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "PYTHONPATH": str(SOURCE),
    }


def installed(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` with this project's virtual environment first on ``PATH``, as an install of
    pe-schedule into the job's Python leaves it."""
    if not (VENV_BIN / "pe-schedule").is_file():
        raise WorkflowError(f"no pe-schedule script beside {sys.executable}: install the project")
    return {**env, "PATH": f"{VENV_BIN}{os.pathsep}{env['PATH']}"}


def _install(step: Mapping[str, Any], state: _Job) -> StepResult:
    # What it replaces must be what it claims: a pip install of pe-schedule, nothing more.
    script = str(step.get("run", ""))
    if not script.startswith("python -m pip install") or "'pe-schedule" not in script:
        raise WorkflowError(f"step {INSTALL_STEP!r}: expected a pip install, got {script!r}")
    state.env = installed(state.env)
    return StepResult(state.name, INSTALL_STEP, 0)


# -- the actions, done by hand ------------------------------------------------------------------

Action = Callable[[_Job, Mapping[str, str]], Mapping[str, str]]


def _checkout(state: _Job, inputs: Mapping[str, str]) -> Mapping[str, str]:
    shutil.copytree(state.repository, state.workspace, dirs_exist_ok=True, symlinks=True)
    return {}


def _setup_python(state: _Job, inputs: Mapping[str, str]) -> Mapping[str, str]:
    # The tests' own Python stands in for the one asked for; the install step puts it on PATH.
    if not inputs.get("python-version"):
        raise WorkflowError("actions/setup-python: expected python-version")
    return {}


def _configure_pages(state: _Job, inputs: Mapping[str, str]) -> Mapping[str, str]:
    origin, _, path = state.github.pages_url.partition("://")[2].partition("/")
    return {
        "base_url": state.github.pages_url,
        "origin": f"https://{origin}",
        "host": origin,
        "base_path": f"/{path}" if path else "",
    }


def _upload_pages_artifact(state: _Job, inputs: Mapping[str, str]) -> Mapping[str, str]:
    # The action archives the folder with tar, which fails on a folder that is not there.
    folder = state.workspace / inputs.get("path", "_site/")
    if not folder.is_dir():
        raise WorkflowError(f"actions/upload-pages-artifact: no folder {folder}")
    state.run.artifact = folder
    return {}


def _deploy_pages(state: _Job, inputs: Mapping[str, str]) -> Mapping[str, str]:
    if state.run.artifact is None:
        raise WorkflowError("actions/deploy-pages: no artifact was uploaded by an earlier job")
    state.run.deployed = state.run.artifact
    return {"page_url": f"{state.github.pages_url}/"}


def _configure_aws_credentials(state: _Job, inputs: Mapping[str, str]) -> Mapping[str, str]:
    if not inputs.get("role-to-assume") or not inputs.get("aws-region"):
        raise WorkflowError(f"aws-actions/configure-aws-credentials: got {dict(inputs)}")
    if not state.github.aws:
        raise WorkflowError("aws-actions/configure-aws-credentials: no credentials for this run")
    region = inputs["aws-region"]
    state.env |= {"AWS_REGION": region, "AWS_DEFAULT_REGION": region, **state.github.aws}
    return {}


#: The actions run here, by name (any version).
ACTIONS: dict[str, Action] = {
    "actions/checkout": _checkout,
    "actions/setup-python": _setup_python,
    "actions/configure-pages": _configure_pages,
    "actions/upload-pages-artifact": _upload_pages_artifact,
    "actions/deploy-pages": _deploy_pages,
    "aws-actions/configure-aws-credentials": _configure_aws_credentials,
}


# -- expressions --------------------------------------------------------------------------------


def _evaluated(
    env: Mapping[str, Any], state: _Job, outer: Mapping[str, str] | None = None
) -> dict[str, str]:
    """An ``env:`` block's values, expressions substituted (``env.X`` sees ``outer``)."""
    return {key: _substitute(str(value), state, outer or {}) for key, value in env.items()}


def _substitute(text: str, state: _Job, env: Mapping[str, str]) -> str:
    """``text`` with each ``${{ context.name }}`` replaced by its value."""
    contexts: dict[str, Mapping[str, str]] = {
        "secrets": state.github.secrets,
        "vars": state.github.vars,
        "env": env,
        "steps": state.outputs,
    }

    def value(match: re.Match[str]) -> str:
        context, _, name = match[1].partition(".")
        if name not in contexts.get(context, {}):
            raise WorkflowError(f"job {state.name}: no value here for {match[0]}")
        return contexts[context][name]

    return _EXPRESSION.sub(value, text)


def _refuse_unknown(where: str, keys: set[str], known: set[str]) -> None:
    if unknown := keys - known:
        raise WorkflowError(f"{where}: {sorted(unknown)} not implemented by this runner")
