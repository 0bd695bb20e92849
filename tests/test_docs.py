"""The README and the built-in help tell the truth: every command is documented, every shown command runs.

Conventions this test relies on (README.md):

- commands are shown in fenced code blocks, on lines starting with ``$ newsgraph`` or ``newsgraph``;
  a ``#`` comment after the command is ignored;
- a line whose arguments are placeholders in capitals (``GRAPH``, ``INPUT...``, ``FILE.html``) is a
  synopsis, not a command, and is not run;
- ``graphs/example`` stands for the example graph; the test builds it afresh from
  ``examples/articles`` and every ``-o/--output`` target goes to a temporary folder, so running the
  README never touches the working tree.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.pipeline import build_graph

REPO_ROOT = Path(__file__).parent.parent
README = REPO_ROOT / "README.md"
EXAMPLE = "graphs/example"
# A README that has a section like these shows how to run newsgraph, so it must show commands.
USAGE_SECTION = re.compile(r"^##\s+.*\b(quick ?start|usage|session|commands|getting started|example)", re.I | re.M)
PLACEHOLDER = re.compile(r"[A-Z][A-Z_]+(?:\.\.\.|\.[a-z]+)?")
OUTPUT_OPTIONS = ("-o", "--output")


def readme() -> str:
    return README.read_text(encoding="utf-8") if README.is_file() else ""


def readme_commands(text: str) -> list[str]:
    """The ``newsgraph ...`` lines of the fenced code blocks, without a leading ``$``."""
    commands, fenced = [], False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            stripped = stripped.removeprefix("$").strip()
            if stripped == "newsgraph" or stripped.startswith("newsgraph "):
                commands.append(stripped)
    return commands


def runnable(command: str) -> bool:
    return not any(PLACEHOLDER.fullmatch(arg) for arg in shlex.split(command, comments=True)[1:])


README_COMMANDS = [c for c in readme_commands(readme()) if runnable(c)]


def rewrite(args: list[str], example: Path, out: Path) -> list[str]:
    """Point ``graphs/example`` at the fresh example build and every output option into ``out``."""
    rewritten, redirect_next = [], False
    for arg in args:
        if redirect_next and arg == EXAMPLE and args[0] != "build":
            # A command that changes the example graph in place (remove) works on a copy of it.
            copy = out / "example"
            if not copy.exists():
                shutil.copytree(example, copy)
            arg, redirect_next = str(copy), False
        elif redirect_next:
            arg, redirect_next = str(out / Path(arg).name), False
        elif arg in OUTPUT_OPTIONS:
            redirect_next = True
        elif arg.startswith(("--output=", "-o=")):
            option, _, value = arg.partition("=")
            arg = f"{option}={out / Path(value).name}"
        elif arg == EXAMPLE or arg.startswith(EXAMPLE + "/"):
            arg = str(example) + arg[len(EXAMPLE):]
        rewritten.append(arg)
    return rewritten


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_graph([REPO_ROOT / "examples" / "articles"], tmp_path_factory.mktemp("docs") / "example").output


# ---------------------------------------------------------------- help text

@pytest.mark.parametrize("name", sorted(cli.commands))
def test_docs_every_command_has_help_with_an_example(name: str) -> None:
    command = cli.commands[name]
    assert command.help and command.help.strip(), f"`newsgraph {name}` has no help text"
    assert command.get_short_help_str().strip(), name
    assert re.search(rf"^\s+newsgraph {name}\b", command.help, re.M), f"`newsgraph {name}` help shows no example"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"`newsgraph {name} {param.opts[0]}` has no help text"


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_docs_every_command_appears_in_readme(name: str) -> None:
    if not README.is_file():
        pytest.skip("README.md is not written yet")
    assert re.search(rf"\bnewsgraph {name}\b", readme()), f"README.md never shows `newsgraph {name}`"


def help_examples() -> list[str]:
    """Every ``newsgraph ...`` example line in the commands' help texts."""
    found = []
    for name in sorted(cli.commands):
        for line in (cli.commands[name].help or "").splitlines():
            if line.strip().startswith("newsgraph "):
                found.append(line.strip())
    return found


@pytest.mark.parametrize("command", help_examples())
def test_docs_help_example_runs(command: str, example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    result = CliRunner().invoke(cli, rewrite(shlex.split(command)[1:], example, tmp_path))
    assert result.exit_code == 0, f"{command}\n-> exit {result.exit_code}\n{result.output}"


# ---------------------------------------------------------------- README commands run

def test_docs_readme_shows_commands() -> None:
    """Guards the parametrized test below against silently finding nothing."""
    text = readme()
    if not USAGE_SECTION.search(text):
        pytest.skip("README.md has no usage section yet")
    assert README_COMMANDS, "README.md has a usage section but no `newsgraph ...` line in a fenced code block"
    assert any(shlex.split(c)[1] == "build" for c in README_COMMANDS), "README.md never shows a runnable build"


@pytest.mark.parametrize("command", README_COMMANDS or [pytest.param("", marks=pytest.mark.skip("no commands"))])
def test_docs_readme_command_runs(command: str, example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    before = {p: p.stat().st_mtime_ns for p in REPO_ROOT.glob("graphs/**/*") if p.is_file()}
    args = rewrite(shlex.split(command, comments=True)[1:], example, tmp_path)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, f"{command}\n-> exit {result.exit_code}\n{result.output}"
    assert result.output.strip(), f"{command} printed nothing"
    assert {p: p.stat().st_mtime_ns for p in REPO_ROOT.glob("graphs/**/*") if p.is_file()} == before


# ---------------------------------------------------------------- the test's own conventions

def test_docs_rewrite_redirects_outputs_and_the_example() -> None:
    args = shlex.split("newsgraph build examples/articles --output graphs/example  # comment", comments=True)[1:]
    assert rewrite(args, Path("/fresh/example"), Path("/tmp/x")) == [
        "build", "examples/articles", "--output", "/tmp/x/example"]
    args = ["render", "graphs/example/graph.ttl", "-o", "li.html"]
    assert rewrite(args, Path("/fresh/example"), Path("/tmp/x")) == [
        "render", "/fresh/example/graph.ttl", "-o", "/tmp/x/li.html"]


def test_docs_synopsis_lines_are_not_run() -> None:
    text = "```console\nnewsgraph build INPUT... --output DIR\n$ newsgraph validate graphs/example\n```\nnewsgraph x\n"
    assert [c for c in readme_commands(text) if runnable(c)] == ["newsgraph validate graphs/example"]
