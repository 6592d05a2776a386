"""The ready-to-copy CI workflows and the pre-commit hook run real pe-schedule commands.

Each workflow under ``examples/ci-workflow/`` is read as YAML; every ``pe-schedule``
command its steps run must parse with the command line's own parser, and a workflow
that publishes checks first, builds next and publishes last. Then each one is run, its
shell steps for real, by a local stand-in for GitHub's runner (``tests/workflow_runner.py``)
on a copy of a repository of declarations: the Pages workflow must hand Pages the site it
built for the Pages address, the S3 one must fill a bucket on a local S3 server (moto's),
and every one must stop, failing, at the check a broken declaration or stale feeds fail.
"""

from __future__ import annotations

import argparse
import re
import shlex
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from pe_schedule._internal.publish.files import MANIFEST_NAME
from pe_schedule._internal.publish.ledger import LEDGER_NAME
from pe_schedule.cli import build_parser
from tests import workflow_runner
from tests.workflow_runner import Github, Run, WorkflowError

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


# -- running them, as GitHub's runner would ------------------------------------------------------

#: The committed files a repository of declarations holds: the reference declaration, its
#: roster, its solved schedule and its committed feeds, at the paths the workflows name.
FEEDS = REFERENCE.with_suffix("")
COMMITTED = (
    REFERENCE,
    REFERENCE.with_suffix(".roster.toml"),
    REFERENCE.with_suffix(".solved.toml"),
    FEEDS,
)
#: Steps the tests look at, by the names the workflows give them.
RULES_STEP = "Check the declarations' rules"
FEEDS_STEP = "Check the committed feeds are up to date"
PUBLISH_STEP = "Publish the site to the bucket"
PAGES = "https://owner.github.io/repo"
ROLE = "arn:aws:iam::123456789012:role/pe-schedule-publish"


def declarations_repository(into: Path) -> Path:
    """A copy of the committed declarations, laid out as in this repository (and as the
    workflows' paths expect): ``calendars/NAME.toml`` beside its roster, solved schedule
    and feeds folder. No feed key comes with it: a key is never committed."""
    for path in COMMITTED:
        copy = into / path.relative_to(ROOT)
        if path.is_dir():
            shutil.copytree(path, copy, ignore=shutil.ignore_patterns(".pe-schedule-key"))
        else:
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
    return into


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed declarations, for the runs that change nothing in them."""
    return declarations_repository(tmp_path_factory.mktemp("repository"))


def published(folder: Path) -> set[str]:
    """The files a build wrote to ``folder`` that subscribers may see (not its manifest)."""
    return {path.name for path in folder.iterdir()} - {MANIFEST_NAME}


def assert_passed(done: Run, workflow: dict[str, Any]) -> None:
    """Every step of every job ran, and exited 0."""
    assert done.failed is None, done.failed
    assert done.skipped == []
    expected = [step.get("name") or step["uses"] for _, step in steps(workflow)]
    assert [step.name for step in done.steps] == expected


def test_the_feeds_workflow_passes_on_the_committed_feeds(repository: Path, tmp_path: Path) -> None:
    """Each check passes on the committed declarations and feeds, in a repository without
    the feed key (GitHub gives "" for a secret not set)."""
    workflow = load(WORKFLOWS / "pe-schedule-feeds.yml")
    done = workflow_runner.run(workflow, repository, tmp_path, Github())
    assert_passed(done, workflow)
    checked = done.step(FEEDS_STEP)
    assert checked.stdout == f"{FEEDS.relative_to(ROOT)}: up to date (69 feeds)\n"
    assert "personal feeds skipped" in checked.stderr


def break_a_rule(repository: Path) -> None:
    """Take one Learning Network all-team meeting out: "every 2 months" no longer holds."""
    declaration = repository / REFERENCE.relative_to(ROOT)
    text = declaration.read_text(encoding="utf-8")
    months = (
        "months = { every = 2, from = 1, to = 17 }\n"
        'description = "Two hours on Zoom with every team of the Learning Network."'
    )
    assert text.count(months) == 1
    declaration.write_text(
        text.replace(months, months.replace("to = 17 }", "to = 17, except = [5] }")),
        encoding="utf-8",
    )


def make_stale(repository: Path) -> None:
    """Lose one committed feed, as a commit of a partial build would."""
    (repository / FEEDS.relative_to(ROOT) / "team-ln-40.ics").unlink()


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize(
    ("spoil", "failing", "says"),
    [
        pytest.param(break_a_rule, RULES_STEP, "2 violations", id="a-rule-broken"),
        pytest.param(make_stale, FEEDS_STEP, "missing: team-ln-40.ics", id="feeds-stale"),
    ],
)
def test_a_failed_check_stops_the_run(
    name: str, spoil: Callable[[Path], None], failing: str, says: str, tmp_path: Path
) -> None:
    """A broken rule or stale committed feeds fail their step with exit 1, and nothing after
    it runs: no site is built, uploaded, deployed or published."""
    repository = declarations_repository(tmp_path / "repository")
    spoil(repository)
    done = workflow_runner.run(load(WORKFLOWS / name), repository, tmp_path / "run", Github())
    assert done.failed is not None
    assert (done.failed.name, done.failed.returncode) == (failing, 1)
    assert done.steps[-1] == done.failed
    assert says in done.failed.stdout
    assert done.artifact is None
    assert done.deployed is None
    assert done.skipped == (["deploy"] if name == "pe-schedule-pages.yml" else [])


def test_pages_deploys_the_site_built_for_the_pages_address(
    repository: Path, tmp_path: Path
) -> None:
    """The artifact is the committed folder rebuilt with --base-url the Pages address that
    actions/configure-pages gives: the same feeds and ledger, an index linking each feed
    there, and no manifest (it names every personal feed, and Pages sites are public)."""
    workflow = load(WORKFLOWS / "pe-schedule-pages.yml")
    done = workflow_runner.run(workflow, repository, tmp_path, Github(pages_url=PAGES))
    assert_passed(done, workflow)
    site = done.workspaces["build"] / "_site"
    assert done.artifact == done.deployed == site
    assert done.environment_urls == {"deploy": f"{PAGES}/"}
    assert {path.name for path in site.iterdir()} == published(FEEDS)
    feeds = sorted(path.name for path in FEEDS.glob("*.ics"))
    for name in [*feeds, "feeds.json", "grid.svg", LEDGER_NAME]:
        assert (site / name).read_bytes() == (FEEDS / name).read_bytes(), name
    index = (site / "index.html").read_text(encoding="utf-8")
    assert [name for name in feeds if f'href="{PAGES}/{name}"' not in index] == []


@pytest.fixture(scope="module")
def bucket(s3_endpoint: str) -> tuple[str, str]:
    """The bucket and prefix the S3 workflow's DESTINATION names, made on the local server."""
    destination = load(WORKFLOWS / "pe-schedule-s3.yml")["env"]["DESTINATION"]
    name, _, prefix = destination.removeprefix("s3://").partition("/")
    client(s3_endpoint).create_bucket(Bucket=name)
    return name, f"{prefix}/"


def client(endpoint: str) -> Any:
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_s3_publishes_the_site_and_then_nothing_new(
    s3_endpoint: str, bucket: tuple[str, str], repository: Path, tmp_path: Path
) -> None:
    """The bucket gets every feed of the committed folder, feeds.json, index.html (linking to
    BASE_URL), grid.svg and the ledger under the prefix; a second run, from a fresh checkout,
    finds them all there and uploads nothing."""
    workflow = load(WORKFLOWS / "pe-schedule-s3.yml")
    github = Github(
        vars={"PE_SCHEDULE_AWS_ROLE": ROLE},
        # What the role would give; the address of the local server is set by the test.
        aws={
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_ENDPOINT_URL": s3_endpoint,
        },
    )
    name, prefix = bucket
    expected = published(FEEDS)
    assert {"feeds.json", "index.html", "grid.svg", LEDGER_NAME} < expected

    first = workflow_runner.run(workflow, repository, tmp_path / "first", github)
    assert_passed(first, workflow)
    assert first.step(PUBLISH_STEP).stdout.endswith(
        f"s3://{name}/{prefix}: {len(expected)} uploaded, 0 unchanged, "
        "0 emptied, 0 kept empty, 0 deleted\n"
    )
    store = client(s3_endpoint)
    listed = store.list_objects_v2(Bucket=name, Prefix=prefix)["Contents"]
    assert {item["Key"].removeprefix(prefix) for item in listed} == expected
    site = first.workspaces["publish"] / "_site"
    for key in sorted(expected):
        body = store.get_object(Bucket=name, Key=f"{prefix}{key}")["Body"].read()
        assert body == (site / key).read_bytes(), key
    base_url = workflow["env"]["BASE_URL"]
    assert base_url == f"https://{name}/{prefix.rstrip('/')}"
    index = store.get_object(Bucket=name, Key=f"{prefix}index.html")["Body"].read().decode()
    feeds = sorted(path.name for path in FEEDS.glob("*.ics"))
    assert [feed for feed in feeds if f'href="{base_url}/{feed}"' not in index] == []

    second = workflow_runner.run(workflow, repository, tmp_path / "second", github)
    assert_passed(second, workflow)
    assert f": 0 uploaded, {len(expected)} unchanged, " in second.step(PUBLISH_STEP).stdout


# -- the runner refuses what it cannot run ------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "message"),
    [
        pytest.param(
            {"uses": "actions/cache@v4"}, "an action not run here", id="an-unknown-action"
        ),
        pytest.param(
            {"run": "echo ${{ github.sha }}"}, "no value here for", id="an-unknown-expression"
        ),
        pytest.param(
            {"run": "echo ${{ secrets.OTHER }}"}, "no value here for", id="an-unknown-secret"
        ),
        pytest.param({"run": "true", "if": "always()"}, "not implemented", id="an-if"),
        pytest.param({"run": "true", "shell": "sh"}, "not implemented", id="another-shell"),
    ],
)
def test_the_runner_refuses_what_it_would_run_wrongly(
    step: dict[str, Any], message: str, tmp_path: Path
) -> None:
    workflow = {"on": "push", "jobs": {"job": {"runs-on": "ubuntu-latest", "steps": [step]}}}
    with pytest.raises(WorkflowError, match=message):
        workflow_runner.run(workflow, tmp_path, tmp_path / "run", Github())


def test_run_steps_stop_at_the_first_failing_command(tmp_path: Path) -> None:
    """As GitHub's ``bash -eo pipefail``: a failure inside a pipe fails the step."""
    step = {"run": "false | true\necho not reached"}
    workflow = {"on": "push", "jobs": {"job": {"runs-on": "ubuntu-latest", "steps": [step]}}}
    done = workflow_runner.run(workflow, tmp_path, tmp_path / "run", Github())
    assert done.failed is not None
    assert (done.failed.returncode, done.failed.stdout) == (1, "")


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


def staged(names: list[str]) -> list[str]:
    """Of ``names``, those the hook is given, matched as pre-commit matches them."""
    found = hook()
    return [
        name
        for name in names
        if re.search(found["files"], name) and not re.search(found.get("exclude", "^$"), name)
    ]


#: Paths from the repository's root, as pre-commit passes them.
DECLARATION = str(REFERENCE.relative_to(ROOT))
ROSTER = str(REFERENCE.with_suffix(".roster.toml").relative_to(ROOT))
SOLVED = str(REFERENCE.with_suffix(".solved.toml").relative_to(ROOT))


@pytest.mark.parametrize(
    ("changed", "status"),
    [
        pytest.param([DECLARATION], 0, id="a-declaration-that-holds"),
        pytest.param([ROSTER, SOLVED], None, id="only-its-roster-and-solved-schedule"),
        pytest.param(
            [DECLARATION, ROSTER, "examples/broken-grid.toml", "README.md"],
            1,
            id="one-declaration-broken",
        ),
    ],
)
def test_the_hook_checks_the_changed_declarations(
    changed: list[str], status: int | None, tmp_path: Path
) -> None:
    """pre-commit runs the entry, then the hook's args, then the changed files it selects,
    in the repository, with pe-schedule installed: each declaration is checked; a roster or
    solved schedule is not taken for a declaration (it is read with its own)."""
    repository = declarations_repository(tmp_path / "repository")
    for name in changed:
        if not (repository / name).exists():
            (repository / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / name, repository / name)
    files = staged(changed)
    assert files == [name for name in changed if Path(name).suffixes == [".toml"]]
    if status is None:
        assert files == []  # pre-commit runs no hook without files
        return
    found = hook()
    # pre-commit splits files into several commands only from four files up.
    command = [*shlex.split(found["entry"]), *found.get("args", []), *files]
    env = workflow_runner.base_environment(tmp_path / "home")
    done = subprocess.run(
        command,
        cwd=repository,
        env=workflow_runner.installed(env),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == status, done.stderr
    assert done.stdout.splitlines()[-1].startswith(f"checked {len(files)} file")
