"""The README is a front door: short, every Python block a whole program that runs alone, every
command it shows runs, and every link into the docs leads somewhere."""

from __future__ import annotations

import re
from pathlib import Path

from xpander_sdk.emulator import EmulatorServer

from .conftest import reader_env, run_console, run_files
from .pages import DOCS_SRC, README, ROOT, blocks, expected_output, missing_output

MAX_LINES = 250


def test_the_readme_is_short() -> None:
    assert len(README.read_text().splitlines()) <= MAX_LINES


def test_every_python_block_runs_alone_in_a_file(
    docs_emulator: EmulatorServer, tmp_path: Path
) -> None:
    """Copied as it stands into a file of its own, with only the three settings: no fragments."""
    python = [b for b in blocks(README) if b.language == "python"]
    assert python, "the README has a quickstart"
    assert not [b.where for b in python if b.not_run], "every README block runs"
    files = []
    for n, block in enumerate(python):
        folder = tmp_path / f"block{n}"  # each in a folder of its own: nothing shared on disk
        folder.mkdir()
        (folder / "example.py").write_text(block.text + "\n")
        files.append(folder / "example.py")
    env = reader_env(docs_emulator)
    for block, ran in zip(python, run_files(files, env, tmp_path), strict=True):
        assert ran.error is None, f"{block.where} failed:\n{ran.error}"
        missing = missing_output(expected_output(block.text), ran.output)
        assert not missing, f"{block.where} did not print {missing}:\n{ran.output}"


def test_the_quickstart_is_the_docs_quickstart_word_for_word() -> None:
    """One quickstart, run by both tests; the README cannot include a file, so it is held equal."""
    quickstart = next(b for b in blocks(README) if b.language == "python")
    assert (
        quickstart.text.strip() == (DOCS_SRC / "get_started" / "quickstart.py").read_text().strip()
    )


def test_the_relay_is_the_events_guides_relay_word_for_word() -> None:
    """The relay example (issue 18) runs in both places; held equal like the quickstart."""
    python = [b for b in blocks(README) if b.language == "python"]
    relay = next(b for b in python if "last-event-id" in b.text)
    assert relay.text.strip() == (DOCS_SRC / "events" / "sse_relay.py").read_text().strip()


def test_every_command_runs(docs_emulator: EmulatorServer, tmp_path: Path) -> None:
    console = [b for b in blocks(README) if b.language == "console"]
    assert console
    for shown in run_console(console, reader_env(docs_emulator), tmp_path):
        assert shown.exit_code == shown.command.exit_code, (shown.command.line, shown.printed)
        assert not missing_output(shown.command.output, shown.printed), shown.printed


def test_links_into_the_docs_lead_to_files() -> None:
    targets = re.findall(r"\]\(((?:docs/|CHANGELOG)[^)#]*)", README.read_text())
    assert len(targets) > 20
    missing = [t for t in targets if not (ROOT / t).is_file()]
    assert not missing, missing
