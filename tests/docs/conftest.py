"""Fixtures of the doc tests: the built site, an emulator per module, and runners that run a
page's examples (one interpreter per page) and its ``xpander-tasks`` commands (one shell per
page) against it, as a reader would, with only the ``XPANDER_*`` settings pointing there."""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from xpander_sdk.cli import main as cli_main
from xpander_sdk.emulator import EmulatorServer

from .pages import ROOT, Block, Command, commands

SITE = ROOT / "build" / "site"
#: Written after a build succeeded: the site is fresh while nothing it is made of is newer.
STAMP = SITE / ".built"
_INPUTS = ("docs", "docs_src", "xpander_sdk", "generated", "mkdocs.yml", "CHANGELOG.md")
BIN = Path(sys.executable).parent


def _newest_input() -> float:
    newest = 0.0
    for name in _INPUTS:
        path = ROOT / name
        files = path.rglob("*") if path.is_dir() else [path]
        made = (f for f in files if f.is_file() and "__pycache__" not in f.parts)
        newest = max([newest, *(f.stat().st_mtime for f in made)])
    return newest


def build_site() -> Path:
    """build/site, built strictly unless it is newer than all it is made of (`make test`
    builds it first, with `make docs`). A lock keeps parallel workers to one build."""
    SITE.parent.mkdir(exist_ok=True)
    with open(SITE.parent / ".site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if STAMP.exists() and STAMP.stat().st_mtime >= _newest_input():
            return SITE
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},  # as `make docs` builds it
            timeout=300,
        )
        assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr}"
        STAMP.touch()
    return SITE


@pytest.fixture(scope="session")
def site() -> Path:
    """The built documentation site (its pages as build/site/<page>/index.html)."""
    return build_site()


@pytest.fixture(scope="module")
def docs_emulator() -> Iterator[EmulatorServer]:
    """The emulator the examples of this module run against (faults on, fast runs)."""
    with EmulatorServer(api_key="docs-key", step_delay=0.02, heartbeat=1.0, faults=True) as emu:
        yield emu


def reader_env(server: EmulatorServer) -> dict[str, str]:
    """A reader's environment: no XPANDER_* setting but the emulator's three."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XPANDER_")}
    env.pop("COLUMNS", None)
    env.update(server.env())
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"  # python3, xpander-tasks
    return env


@dataclass
class Ran:
    """What one example file did: what it printed, and its traceback if it failed."""

    file: str
    output: str
    error: str | None


def run_files(files: Sequence[Path], env: dict[str, str], cwd: Path) -> list[Ran]:
    """Run the files in order in one interpreter (see run_examples.py)."""
    out = cwd / "results.json"
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("run_examples.py")), str(out)]
        + [str(f) for f in files],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0 and out.exists(), done.stderr
    return [Ran(**r) for r in json.loads(out.read_text())]


@dataclass
class Shown:
    """A command as shown, and what running it printed and ended with."""

    command: Command
    printed: str
    exit_code: int


#: A line the in-process runner takes: ``[NAME=value ...] xpander-tasks args``, with no pipe,
#: redirection, command substitution or list; anything else goes to bash.
_SHELL = re.compile(r"[|;&<>`]|\$\(")
_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.S)


def run_console(console: Sequence[Block], env: dict[str, str], cwd: Path) -> list[Shown]:
    """Run every command of the console blocks in order, as a shell would.

    A plain ``xpander-tasks`` line runs in this process (``xpander_sdk.cli.main``: a
    process per command would cost about a second each on a busy machine); any other line
    (``TASK=$(xpander-tasks ... | python3 ...)``) runs in bash. Shell variables set by a
    line are seen by the lines after it, in either kind.
    """
    variables: dict[str, str] = {}
    out = []
    for command in (c for block in console for c in commands(block)):
        line = command.line
        if _SHELL.search(line):
            printed, code = _bash(line, env, variables, cwd)
        else:
            printed, code = _in_process(line, env, variables, cwd)
        out.append(Shown(command, printed, code))
    return out


def _expand(word: str, variables: dict[str, str]) -> str:
    return re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: variables.get(m[1], ""), word)


def _in_process(
    line: str, env: dict[str, str], variables: dict[str, str], cwd: Path
) -> tuple[str, int]:
    """Run the line in this process, in ``cwd`` as the shell's lines are (a file a command
    writes, ``--record FILE``, lands there for the lines after it)."""
    words = [_expand(w, variables) for w in shlex.split(line, comments=True)]
    settings = {}
    while words and (found := _ASSIGNMENT.match(words[0])):
        settings[found[1]] = found[2]
        words.pop(0)
    assert words and words[0] == "xpander-tasks", f"not an xpander-tasks command: {line!r}"
    printed = io.StringIO()
    saved, folder = dict(os.environ), os.getcwd()
    os.environ.clear()
    os.environ.update({**env, **settings})
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            try:
                code = cli_main(words[1:])
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(folder)
        os.environ.clear()
        os.environ.update(saved)
    return printed.getvalue(), code


def _bash(line: str, env: dict[str, str], variables: dict[str, str], cwd: Path) -> tuple[str, int]:
    """Run the line in bash; an assignment (``NAME=$(...)``) sets NAME for the lines after."""
    assigned = _ASSIGNMENT.match(line)
    kept = cwd / ".assigned"
    script = (
        f'{line}\nprintf "%s" "${assigned[1]}" > {shlex.quote(str(kept))}' if assigned else line
    )
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=cwd,
        env={**env, **variables},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
    )
    if assigned:
        variables[assigned[1]] = kept.read_text()
    return done.stdout, done.returncode
