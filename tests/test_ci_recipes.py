"""The CI recipes (docs/ci.md, docs/examples/, .pre-commit-hooks.yaml) run as written: every greencheck command line
parses with the real click commands, the workflows' shell steps are run by bash, the hook's entry checks models."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from checker.api import plan_reports, report_suffixes
from checker.cli import main
from checker.cli_support import _formats
from checker.report import REPORTERS

ROOT = Path(__file__).resolve().parents[1]
CI_DOC = ROOT / "docs" / "ci.md"
GITHUB = ROOT / "docs" / "examples" / "github-actions.yml"
GITLAB = ROOT / "docs" / "examples" / "gitlab-ci.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
SAMPLES = ROOT / "sample_models"
PASSING, FAILING = SAMPLES / "pass-public-office.ifc", SAMPLES / "prefab-fail-government.ifc"
SHELL_OPERATORS = {"&&", "||", ";", "|", "(", ")", "&", ";;", ">", ">>", "<", "<<"}
SHELL_VALUE = "shell-value"  # stands for "$VAR" / "${array[@]}": a value the shell fills in


def fenced_blocks(markdown: str) -> list[tuple[str, str]]:
    """(language, text) of every fenced code block."""
    return [(m[1], m[2]) for m in re.finditer(r"^```(\w*)\n(.*?)^```", markdown, flags=re.M | re.S)]


def logical_lines(text: str) -> list[str]:
    """Lines with shell continuations joined and YAML list / key prefixes taken off."""
    joined = re.sub(r"\\\n\s*", " ", text)
    lines = []
    for line in joined.splitlines():
        lines.append(re.sub(r"^\s*(?:-\s+)?(?:(?:run|entry|script):\s*)?", "", line))
    return lines


def greencheck_commands(text: str) -> list[list[str]]:
    """The argument lists of every `greencheck` command in the text (a command word, not `pip install greencheck`)."""
    commands = []
    for line in logical_lines(text):
        if not re.search(r"(?:^|[;&|(])\s*greencheck(?:\s|$)", line):
            continue  # prose, comments, `pip install greencheck`: no command word
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
        for i, token in enumerate(tokens):
            if token == "greencheck" and (i == 0 or tokens[i - 1] in SHELL_OPERATORS):
                args = []
                for arg in tokens[i + 1 :]:
                    if arg in SHELL_OPERATORS:
                        break
                    args.append(SHELL_VALUE if "$" in arg else arg)
                commands.append(args)
    return commands


def recipe_commands() -> dict[str, list[list[str]]]:
    """Every greencheck command line of docs/ci.md's code blocks, the example files and the pre-commit hook (its
    entry alone and with each `args:` the doc suggests)."""
    doc = CI_DOC.read_text()
    found = {"docs/ci.md": [c for _lang, block in fenced_blocks(doc) for c in greencheck_commands(block)]}
    for path in sorted((ROOT / "docs" / "examples").iterdir()):
        found[f"docs/examples/{path.name}"] = greencheck_commands(path.read_text())
    (entry,) = greencheck_commands(hook_field("entry"))
    suggested = [shlex.split(m.replace(",", " ")) for m in re.findall(r"args: \[(.*?)\]", doc)]
    staged = ["staged.ifc"]  # pre-commit appends the staged paths
    found[".pre-commit-hooks.yaml"] = [entry + staged] + [entry + args + staged for args in suggested]
    return found


def parse_command(args: list[str]) -> tuple[click.Command, click.Context]:
    """Resolve subcommands through the real click group and parse the options as click would (no callback runs)."""
    command: click.Command = main
    name, rest = "greencheck", list(args)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        sub = command.get_command(click.Context(command), rest[0])
        assert sub is not None, f"greencheck has no subcommand {rest[0]!r} in {args}"
        name, command, rest = rest[0], sub, rest[1:]
    try:
        ctx = command.make_context(name, rest)
    except click.exceptions.Exit:  # --version / --help: eager options exist and ran
        ctx = click.Context(command)
    except click.UsageError as exc:
        raise AssertionError(f"greencheck {shlex.join(args)}: {exc.format_message()}") from None
    return command, ctx


def test_every_greencheck_command_line_parses() -> None:
    found = recipe_commands()
    assert len(found["docs/ci.md"]) >= 4 and found["docs/examples/github-actions.yml"]
    assert found["docs/examples/gitlab-ci.yml"] and len(found[".pre-commit-hooks.yaml"]) == 4
    for where, commands in found.items():
        for args in commands:
            command, ctx = parse_command(args)
            if command.name == "check":
                formats = _formats(ctx.params["formats"])
                assert set(formats) <= set(REPORTERS), f"{where}: greencheck {shlex.join(args)}"


def test_a_wrong_option_is_caught() -> None:
    """The parse above would see a typo: an option check lacks, a subcommand greencheck lacks, a bad choice."""
    for wrong in (["check", "m.ifc", "--fail-on", "fatal"], ["check", "m.ifc", "--junit"], ["lint", "m.ifc"]):
        with pytest.raises(AssertionError):
            parse_command(wrong)


def test_doc_shows_the_example_files_verbatim() -> None:
    blocks = [text for lang, text in fenced_blocks(CI_DOC.read_text()) if lang == "yaml"]
    assert GITHUB.read_text().rstrip() + "\n" in blocks
    assert GITLAB.read_text().rstrip() + "\n" in blocks
    assert "examples/github-actions.yml" in CI_DOC.read_text() and "docs/ci.md" in (ROOT / "README.md").read_text()


def yaml_shape(path: Path) -> list[str]:
    """A structural check without a YAML library: no tabs, indents in steps of 2, and the top-level keys in order."""
    text = path.read_text()
    assert "\t" not in text
    for number, line in enumerate(text.splitlines(), 1):
        indent = len(line) - len(line.lstrip(" "))
        in_block = line.strip() and not re.match(r"\s*(#|[-\w\"'$]|\]|\}|\.)", line)
        assert indent % 2 == 0 or in_block or not line.strip(), f"{path.name}:{number}: odd indent"
    return re.findall(r"^([\w-]+):", text, flags=re.M)


def test_yaml_files_have_their_shape() -> None:
    assert yaml_shape(GITHUB) == ["name", "on", "permissions", "env", "jobs"]
    assert yaml_shape(GITLAB) == ["greencheck"]
    hooks = HOOKS.read_text()
    assert re.findall(r"^- id: ([\w-]+)$", hooks, flags=re.M) == ["greencheck"]
    workflow = GITHUB.read_text()
    for action in ("actions/setup-python@", "github/codeql-action/upload-sarif@", "actions/upload-artifact@"):
        assert f"uses: {action}" in workflow
    assert "security-events: write" in workflow and 'python-version: "3.11"' in workflow
    assert "junit: reports/**/*.junit.xml" in GITLAB.read_text()
    try:
        import yaml  # type: ignore[import-untyped]  # not a dependency: used when present
    except ImportError:
        return
    assert yaml.safe_load(GITHUB.read_text())["jobs"]["check"]["strategy"]["fail-fast"] is False
    assert yaml.safe_load(GITLAB.read_text())["greencheck"]["artifacts"]["reports"]["junit"]
    assert yaml.safe_load(hooks)[0]["language"] == "python"


def hook_field(key: str) -> str:
    match = re.search(rf"^  {key}: (.+)$", HOOKS.read_text(), flags=re.M)
    assert match, key
    return match[1]


def step_of(workflow: str, marker: str) -> str:
    """The text of the workflow step whose first line contains `marker` (up to the next step of the same list)."""
    lines = workflow.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"\s*- ", line) and marker in line)
    indent = lines[start].index("-")
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
        end += 1
    return "\n".join(lines[start:end])


def block_of(text: str, key: str) -> str:
    """A `key: |` block scalar, dedented."""
    match = re.search(rf"^(\s*){key}: \|\n((?:\1  .*\n?|\s*\n)+)", text + "\n", flags=re.M)
    assert match, key
    pad = len(match[1]) + 2
    return "\n".join(line[pad:] for line in match[2].splitlines()) + "\n"


def field_of(text: str, key: str, outputs: dict[str, str]) -> str:
    """A plain `key: value` with the names step's outputs filled in, as GitHub would."""
    match = re.search(rf"^\s*{key}: (.+)$", text, flags=re.M)
    assert match, key
    return re.sub(r"\$\{\{ steps\.names\.outputs\.(\w+) \}\}", lambda m: outputs[m[1]], match[1])


def run_bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full_env = {"PATH": os.environ["PATH"], "HOME": str(cwd), **env}
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=300
    )


def test_github_workflow_uploads_the_reports_the_command_writes(tmp_path: Path) -> None:
    """The names and Check steps run in bash (greencheck stubbed to record its argv); the SARIF and JUnit paths the
    upload steps name are those plan_reports gives for that argv."""
    workflow = GITHUB.read_text()
    model = "models/Tower A.v2.ifczip"
    output_file = tmp_path / "github_output"
    named = run_bash(
        block_of(step_of(workflow, "id: names"), "run"), tmp_path, {"MODEL": model, "GITHUB_OUTPUT": str(output_file)}
    )
    assert named.returncode == 0, named.stderr
    outputs = dict(line.split("=", 1) for line in output_file.read_text().splitlines())
    assert outputs == {
        "out": "reports/models/Tower A.v2",
        "stem": "Tower A.v2",
        "artifact": "greencheck-models_Tower A.v2",
    }

    check_step = step_of(workflow, "name: Check")
    env = {"MODEL": model, "OUT": field_of(check_step, "OUT", outputs), "STEM": field_of(check_step, "STEM", outputs)}
    stub = "greencheck() { printf '%s\\0' \"$@\" > argv; }\n"
    argv_file = tmp_path / "argv"
    for with_baseline in (False, True):
        if with_baseline:
            (tmp_path / "baseline").mkdir()
            (tmp_path / "baseline" / "Tower A.v2.json").write_text("{}")
        ran = run_bash(stub + block_of(check_step, "run"), tmp_path, env)
        assert ran.returncode == 0, ran.stderr
        argv = argv_file.read_text().split("\0")[:-1]
        assert argv[:2] == ["check", model]
        _command, ctx = parse_command(argv)
        assert ctx.params["baseline"] == (Path("baseline/Tower A.v2.json") if with_baseline else None)
    formats = _formats(ctx.params["formats"])
    assert {"sarif", "junit", "html", "json"} <= set(formats) and ctx.params["fail_on"] == "error"
    ((_model, stem),) = plan_reports([Path(model)], ctx.params["out"], report_suffixes(formats))
    written = {suffix: str(ctx.params["out"] / f"{stem}{suffix}") for suffix in report_suffixes(formats)}
    assert written[".sarif"] == "reports/models/Tower A.v2/Tower A.v2.sarif"
    assert field_of(step_of(workflow, "name: Upload SARIF"), "sarif_file", outputs) == written[".sarif"]
    assert field_of(step_of(workflow, "name: Publish the JUnit"), "report_paths", outputs) == written[".junit.xml"]
    kept = field_of(step_of(workflow, "name: Keep the reports"), "path", outputs)
    assert all(path.startswith(kept) for path in written.values())
    baseline_step = step_of(workflow, "name: Baseline")
    assert (
        '--name "$ARTIFACT" --dir baseline' in baseline_step
        and "ARTIFACT: ${{ steps.names.outputs.artifact }}" in baseline_step
    )


def greencheck_function() -> str:
    """A bash function standing for the installed command: this checkout's checker under this interpreter."""
    return f'greencheck() {{ PYTHONPATH={shlex.quote(str(ROOT))} {shlex.quote(sys.executable)} -m checker "$@"; }}\n'


def git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    done = subprocess.run(
        ["git", *args], cwd=repo, env={**os.environ, **env}, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_gitlab_job_checks_the_changed_models(tmp_path: Path) -> None:
    """The job's script in bash, in a git repository: a merge request that adds a failing model checks that model
    alone (exit 1, no baseline reachable); the default branch checks every model with --soft-fail (exit 0)."""
    repo = tmp_path / "project"
    (repo / "models").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    shutil.copy(PASSING, repo / "models" / PASSING.name)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD")
    shutil.copy(FAILING, repo / "models" / "Fail Hall.IFC")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "add a model")
    (script,) = re.findall(r"^    - \|\n((?:      .*\n|\n)+)", GITLAB.read_text(), flags=re.M)
    script = greencheck_function() + "\n".join(line[6:] for line in script.splitlines())
    merge_request = {"CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base}
    ran = run_bash(script, repo, {**merge_request, "CI_DEFAULT_BRANCH": "main", "CI_JOB_NAME": "greencheck"})
    assert ran.returncode == 1, ran.stderr
    assert "no baseline" in ran.stdout
    assert sorted(p.relative_to(repo).as_posix() for p in (repo / "reports").rglob("*.junit.xml")) == [
        "reports/models/Fail Hall/Fail Hall.junit.xml"
    ]
    shutil.rmtree(repo / "reports")
    branch = {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main", "CI_DEFAULT_BRANCH": "main"}
    ran = run_bash(script, repo, branch)
    assert ran.returncode == 0, ran.stderr
    reports = {p.relative_to(repo).as_posix() for p in (repo / "reports").rglob("*.json")}
    assert reports == {
        "reports/models/Fail Hall/Fail Hall.json",
        "reports/models/pass-public-office/pass-public-office.json",
    }
    verdict = json.loads((repo / "reports/models/Fail Hall/Fail Hall.json").read_text())["summary"]["verdict"]
    assert verdict == "non_compliant"


def test_pre_commit_hook_selects_ifc_files() -> None:
    selected = re.compile(hook_field("files"))
    names = ["a/b.ifc", "B.IFC", "c.ifczip", "d.IfcZip", "e.ifc.bak", "f.ifcxml", "g.txt"]
    assert [n for n in names if selected.search(n)] == ["a/b.ifc", "B.IFC", "c.ifczip", "d.IfcZip"]
    assert hook_field("language") == "python"


@pytest.mark.parametrize(("models", "exit_code"), [([PASSING], 0), ([FAILING], 1), ([PASSING, FAILING], 1)])
def test_pre_commit_hook_entry_blocks_a_failing_model(tmp_path: Path, models: list[Path], exit_code: int) -> None:
    """As pre-commit runs it: the entry's words, then the staged paths relative to the repository root (the cwd)."""
    for model in models:
        shutil.copy(model, tmp_path / model.name)
    entry = shlex.split(hook_field("entry"))
    assert entry[0] == "greencheck"
    argv = [sys.executable, "-m", "checker", *entry[1:], *(model.name for model in models)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ran = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert ran.returncode == exit_code, ran.stdout + ran.stderr
    assert sorted(p.name for p in (tmp_path / ".greencheck").iterdir()) == sorted(f"{m.stem}.html" for m in models)
