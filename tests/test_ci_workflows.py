"""The ready-to-copy CI workflows and the pre-commit hook run real pe-schedule commands.

Each workflow under ``examples/ci-workflow/`` is read as YAML; every ``pe-schedule``
command its steps run must parse with the command line's own parser, and a workflow
that publishes checks first, builds next and publishes last.
"""

from __future__ import annotations

import argparse
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from pe_schedule.cli import build_parser, main

ROOT = Path(__file__).parent.parent
WORKFLOWS = ROOT / "examples" / "ci-workflow"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
REFERENCE = ROOT / "calendars" / "pursuing-equity-2023-2024.toml"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
FEED_KEY = "${{ secrets.PE_SCHEDULE_FEED_KEY }}"

#: The order of a workflow's work: nothing is built before it is checked, nor published
#: before it is built.
STAGES = ("check", "build", "publish")
#: Steps that publish without a pe-schedule command.
PUBLISHING_ACTIONS = ("actions/upload-pages-artifact", "actions/deploy-pages")


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def steps(workflow: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every (job, step) in the order they run: a job's ``needs`` are earlier jobs."""
    seen: set[str] = set()
    ordered: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for name, job in workflow["jobs"].items():
        needs = job.get("needs", [])
        assert set([needs] if isinstance(needs, str) else needs) <= seen, name
        seen.add(name)
        ordered.extend((job, step) for step in job["steps"])
    return ordered


def invocations(script: str) -> list[list[str]]:
    """The arguments of each ``pe-schedule`` command in a shell ``script``."""
    found = []
    for line in script.replace("\\\n", " ").splitlines():
        command: list[str] = []
        for token in [*shlex.split(line, comments=True), ";"]:
            if token in ("&&", "||", ";", "|"):
                if command[:1] == ["pe-schedule"]:
                    found.append(command[1:])
                command = []
            else:
                command.append(token)
    return found


def stage(step: dict[str, Any], argv: list[str] | None) -> str | None:
    """What a step does: check, build or publish (``None``: none of these)."""
    if argv is None:
        uses = str(step.get("uses", "")).split("@")[0]
        return "publish" if uses in PUBLISHING_ACTIONS else None
    args = build_parser().parse_args(argv)
    if args.command == "publish":
        return "publish"
    if args.command == "build" and not args.check:
        return "build"
    return "check"


def work(workflow: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any], list[str] | None]]:
    """(job, step, pe-schedule arguments or ``None``) for every step, in order."""
    found: list[tuple[dict[str, Any], dict[str, Any], list[str] | None]] = []
    for job, step in steps(workflow):
        commands: list[list[str] | None] = [*invocations(step.get("run", ""))]
        found.extend((job, step, argv) for argv in commands or [None])
    return found


ALL = ["pe-schedule-feeds.yml", "pe-schedule-pages.yml", "pe-schedule-s3.yml"]


def test_the_workflows_are_these() -> None:
    assert sorted(path.name for path in WORKFLOWS.glob("*.y*ml")) == ALL


@pytest.mark.parametrize("name", ALL)
def test_every_command_is_a_real_one(name: str) -> None:
    """Each ``pe-schedule`` command a workflow runs parses with the command line's parser."""
    commands = [argv for _, _, argv in work(load(WORKFLOWS / name)) if argv is not None]
    assert commands
    for argv in commands:
        build_parser().parse_args(argv)  # exits 2 on an unknown option or a missing value
        # Spelled out: argparse would take an abbreviation such as --base-ur.
        options = {token.split("=")[0] for token in argv if token.startswith("--")}
        assert options <= options_of(argv[0]), argv


def options_of(command: str) -> set[str]:
    """The option strings ``pe-schedule COMMAND`` declares."""
    parser = build_parser()
    subparsers = next(
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    return set(subparsers.choices[command]._option_string_actions)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pe-schedule-feeds.yml", ("check",)),
        ("pe-schedule-pages.yml", STAGES),
        ("pe-schedule-s3.yml", STAGES),
    ],
)
def test_check_then_build_then_publish(name: str, expected: tuple[str, ...]) -> None:
    """Stages never go backwards; a workflow that publishes checks and builds before."""
    stages = [stage(step, argv) for _, step, argv in work(load(WORKFLOWS / name))]
    done = [s for s in stages if s is not None]
    assert done == sorted(done, key=STAGES.index)
    assert tuple(dict.fromkeys(done)) == expected


@pytest.mark.parametrize("name", ALL)
def test_builds_take_the_feed_key_from_the_secret(name: str) -> None:
    """Every build (and build --check) gets the feed key from the repository secret."""
    workflow = load(WORKFLOWS / name)
    builds = 0
    for job, step, argv in work(workflow):
        if argv is not None and argv[0] == "build":
            env = {**workflow.get("env", {}), **job.get("env", {}), **step.get("env", {})}
            assert env.get("PE_SCHEDULE_FEED_KEY") == FEED_KEY, step
            builds += 1
    assert builds >= 1


@pytest.mark.parametrize("name", ALL)
def test_installs_this_release_from_its_tag(name: str) -> None:
    """pe-schedule comes from the git tag of this version, constrained by that tag's pins,
    with the ``publish`` extra (boto3) where it publishes to S3."""
    workflow = load(WORKFLOWS / name)
    scripts = [step.get("run", "") for _, step in steps(workflow)]
    install = next(script for script in scripts if "pip install" in script)
    publishes = any(argv and argv[0] == "publish" for _, _, argv in work(workflow))
    extras = "[publish]" if publishes else ""
    assert shlex.split(install)[-3:] == [
        "--constraint",
        f"https://raw.githubusercontent.com/OWNER/pe_schedule/v{VERSION}/constraints.txt",
        f"pe-schedule{extras} @ git+https://github.com/OWNER/pe_schedule@v{VERSION}",
    ]
    if extras:
        optional = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        assert "boto3" in str(optional["project"]["optional-dependencies"]["publish"])


def test_pages_deploys_what_it_built_for_its_address() -> None:
    """The Pages workflow builds with --base-url set to the Pages address, uploads that
    folder, and deploys it from a job allowed to."""
    workflow = load(WORKFLOWS / "pe-schedule-pages.yml")
    found = work(workflow)
    built = [
        (step, build_parser().parse_args(argv))
        for _, step, argv in found
        if stage(step, argv) == "build"
    ]
    assert len(built) == 1
    step, args = built[0]
    assert args.base_url == "$BASE_URL"
    assert step["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    upload = next(s for _, s, _ in found if s.get("uses", "").startswith(PUBLISHING_ACTIONS[0]))
    assert Path(upload["with"]["path"]) == args.out
    deploy = workflow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_s3_uses_short_lived_credentials() -> None:
    """The S3 workflow stores no AWS keys: it assumes a role with GitHub's OIDC token, before
    publishing the folder it built."""
    workflow = load(WORKFLOWS / "pe-schedule-s3.yml")
    assert workflow["permissions"]["id-token"] == "write"
    found = [(step, argv) for _, step, argv in work(workflow)]
    credentials = [
        i
        for i, (step, _) in enumerate(found)
        if step.get("uses", "").startswith("aws-actions/configure-aws-credentials@")
    ]
    assert len(credentials) == 1
    settings = found[credentials[0]][0]["with"]
    assert "role-to-assume" in settings
    assert not {"aws-access-key-id", "aws-secret-access-key"} & set(settings)
    runs = [(i, argv) for i, (_, argv) in enumerate(found) if argv is not None]
    publish = [(i, argv) for i, argv in runs if argv[0] == "publish"]
    build = [argv for _, argv in runs if argv[0] == "build" and "--check" not in argv]
    assert len(publish) == 1
    assert publish[0][0] > credentials[0]
    assert publish[0][1][1] == build[-1][build[-1].index("--out") + 1]


# -- the pre-commit hook ------------------------------------------------------------------------

#: The keys pre-commit reads from a hooks file (those it requires first).
HOOK_REQUIRED = {"id", "name", "entry", "language"}
HOOK_KEYS = HOOK_REQUIRED | {
    "alias",
    "files",
    "exclude",
    "types",
    "types_or",
    "exclude_types",
    "always_run",
    "fail_fast",
    "verbose",
    "pass_filenames",
    "require_serial",
    "description",
    "language_version",
    "log_file",
    "minimum_pre_commit_version",
    "args",
    "stages",
    "additional_dependencies",
}


def hook() -> dict[str, Any]:
    hooks = load(HOOKS)
    assert isinstance(hooks, list)
    assert [entry["id"] for entry in hooks] == ["pe-schedule-check"]
    found: dict[str, Any] = hooks[0]
    return found


def test_the_hook_is_declared_as_pre_commit_reads_it() -> None:
    found = hook()
    assert HOOK_REQUIRED <= set(found) <= HOOK_KEYS
    assert found["entry"] == "pe-schedule check"
    assert found["language"] == "python"
    assert found["files"] == r"\.toml$"
    assert found["pass_filenames"] is True
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert shlex.split(found["entry"])[0] in scripts["scripts"]


def staged(names: list[Path]) -> list[str]:
    """Of ``names``, those the hook is given, matched as pre-commit matches them."""
    found = hook()
    return [
        str(name)
        for name in names
        if re.search(found["files"], str(name))
        and not re.search(found.get("exclude", "^$"), str(name))
    ]


@pytest.mark.parametrize(
    ("changed", "status"),
    [
        pytest.param([REFERENCE], 0, id="a-declaration-that-holds"),
        pytest.param(
            [REFERENCE.with_suffix(".roster.toml"), REFERENCE.with_suffix(".solved.toml")],
            None,
            id="only-its-roster-and-solved-schedule",
        ),
        pytest.param(
            [
                REFERENCE,
                REFERENCE.with_suffix(".roster.toml"),
                ROOT / "examples" / "broken-grid.toml",
                ROOT / "README.md",
            ],
            1,
            id="one-declaration-broken",
        ),
    ],
)
def test_the_hook_checks_the_changed_declarations(
    changed: list[Path], status: int | None, capsys: pytest.CaptureFixture[str]
) -> None:
    """The entry, given the changed files pre-commit selects, checks each declaration; a
    roster or solved schedule is not taken for a declaration (it is read with its own)."""
    files = staged(changed)
    declarations = [path for path in changed if path.suffixes == [".toml"]]
    assert files == [str(path) for path in declarations]
    if status is None:
        assert files == []  # pre-commit runs no hook without files
        return
    assert main([*shlex.split(hook()["entry"])[1:], *files]) == status
    summary = capsys.readouterr().out.splitlines()[-1]
    assert summary.startswith(f"checked {len(files)} file")
