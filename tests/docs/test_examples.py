"""Every example of the docs runs, page by page and in order, against an emulator, and prints
what the page says it prints; so does every ``xpander-tasks`` command a page shows."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from xpander_sdk.emulator import EmulatorServer

from .conftest import Ran, reader_env, run_console, run_files
from .pages import DOCS_SRC, README, ROOT, Block, blocks, expected_output, missing_output, pages

#: At most this many blocks in all (README included) may be marked as not run here.
MAX_NOT_RUN = 3


def _python(page: Path) -> list[Block]:
    return [b for b in blocks(page) if b.language in ("python", "py", "pycon")]


def _examples(page: Path) -> list[Path]:
    return [ROOT / b.snippet for b in _python(page) if b.snippet]


def _console(page: Path) -> list[Block]:
    return [b for b in blocks(page) if b.language == "console"]


PAGES_WITH_EXAMPLES = [p for p in pages() if _examples(p)]
PAGES_WITH_COMMANDS = [p for p in pages() if _console(p)]


def _id(page: Path) -> str:
    return str(page.relative_to(ROOT / "docs"))


def test_every_python_block_is_an_example_file_or_marked_not_run() -> None:
    inline = [b.where for p in pages() for b in _python(p) if not b.snippet and not b.not_run]
    assert not inline, (
        "python blocks that no test runs (make each a file under docs_src/ and include it "
        f"with --8<--, or mark it <!-- not run: why -->): {inline}"
    )
    marked = [b.where for p in [*pages(), README] for b in blocks(p) if b.not_run]
    assert len(marked) <= MAX_NOT_RUN, f"more than {MAX_NOT_RUN} blocks not run: {marked}"


def test_every_example_file_is_on_a_page_once() -> None:
    shown = [path for page in pages() for path in _examples(page)]
    assert len(shown) == len(set(shown)), "an example is included twice"
    files = {p for p in DOCS_SRC.rglob("*.py") if p.name != "__init__.py"}
    included = {p for p in shown if p.suffix == ".py"}
    assert files - included == set(), "examples no page shows"
    assert included - files == set(), "pages include files that do not exist"


def test_commands_are_shown_only_in_console_blocks() -> None:
    """A command in another kind of block would not be run by the test below."""
    stray = [
        f"{b.where}: {line.strip()}"
        for p in [*pages(), README]
        for b in blocks(p)
        if b.language != "console"
        for line in b.text.splitlines()
        if line.strip().removeprefix("$ ").startswith("xpander-tasks ")
    ]
    assert not stray, stray


def test_the_runner_notices_a_failing_example_and_missing_output(
    docs_emulator: EmulatorServer, tmp_path: Path
) -> None:
    good = tmp_path / "good.py"
    good.write_text("print('task abc completed')\n# > task ... completed\n")
    bad = tmp_path / "bad.py"
    bad.write_text("from xpander_sdk import Tasks\nTasks().get('no-such-task')\n")
    ran = run_files([good, bad], reader_env(docs_emulator), tmp_path)
    assert ran[0].error is None
    assert missing_output(expected_output(good.read_text()), ran[0].output) == []
    assert missing_output(["task ... failed"], ran[0].output) == ["task ... failed"]
    assert ran[1].error is not None and "NotFoundError" in ran[1].error


def test_the_commands_of_a_page_share_one_folder(
    docs_emulator: EmulatorServer, tmp_path: Path
) -> None:
    """A file one command writes (run in this process or in bash) is there for the next."""
    block = Block(
        tmp_path / "page.md",
        1,
        "console",
        "$ xpander-tasks create agent-folder hi --follow --record run.json\n"
        "$ test -f run.json && echo found\n",
    )
    shown = run_console([block], reader_env(docs_emulator), tmp_path)
    assert [s.exit_code for s in shown] == [0, 0], [s.printed for s in shown]
    assert shown[1].printed == "found\n"
    assert (tmp_path / "run.json").is_file()


class PageRuns:
    """Each page's examples, run in an interpreter of their own; the pages after the one asked
    for start alongside it (most of an example's time is spent waiting for a run to end).
    Under pytest-xdist the workers are the parallelism, and each runs only its own pages."""

    def __init__(self, env: dict[str, str], folders: pytest.TempPathFactory) -> None:
        self.env, self.folders = env, folders
        cores = os.cpu_count() or 2
        self.ahead = 0 if os.environ.get("PYTEST_XDIST_WORKER") else cores - 1
        self.pool = ThreadPoolExecutor(max_workers=self.ahead + 1)
        self.runs: dict[Path, Future[list[Ran]]] = {}

    def result(self, page: Path) -> list[Ran]:
        at = PAGES_WITH_EXAMPLES.index(page)
        for later in PAGES_WITH_EXAMPLES[at : at + self.ahead + 1]:
            if later not in self.runs:
                folder = self.folders.mktemp("page")
                self.runs[later] = self.pool.submit(run_files, _examples(later), self.env, folder)
        return self.runs[page].result()


@pytest.fixture(scope="module")
def page_runs(
    docs_emulator: EmulatorServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PageRuns]:
    runs = PageRuns(reader_env(docs_emulator), tmp_path_factory)
    yield runs
    runs.pool.shutdown(wait=True)


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES, ids=_id)
def test_the_examples_of_a_page_run(page: Path, page_runs: PageRuns) -> None:
    files = _examples(page)
    for ran, path in zip(page_runs.result(page), files, strict=True):
        name = path.relative_to(ROOT)
        assert ran.error is None, f"{name} failed:\n{ran.error}"
        missing = missing_output(expected_output(path.read_text()), ran.output)
        assert not missing, f"{name} did not print {missing}; it printed:\n{ran.output}"


@pytest.mark.parametrize("page", PAGES_WITH_COMMANDS, ids=_id)
def test_the_commands_of_a_page_run(
    page: Path, docs_emulator: EmulatorServer, tmp_path: Path
) -> None:
    for shown in run_console(_console(page), reader_env(docs_emulator), tmp_path):
        command = shown.command
        assert shown.exit_code == command.exit_code, (
            f"{command.line!r} ended {shown.exit_code}, the page says {command.exit_code}:\n"
            f"{shown.printed}"
        )
        missing = missing_output(command.output, shown.printed)
        assert not missing, (
            f"{command.line!r} did not print {missing}; it printed:\n{shown.printed}"
        )
