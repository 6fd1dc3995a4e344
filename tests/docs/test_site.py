"""The built site says what the code has: every public name, every command and option of the
two command lines, every environment variable the code reads. Read from the code, so a name
added there without its docs fails here."""

from __future__ import annotations

import argparse
import dataclasses
import html
import re
from pathlib import Path

import yaml

import xpander_sdk
from xpander_sdk import emulator
from xpander_sdk.cli.parser import build_parser
from xpander_sdk.emulator.config import EmulatorConfig, add_arguments

from .pages import ROOT


def test_the_build_is_strict_and_checks_links_and_anchors() -> None:
    """With strict, the validation's warnings fail the build (what makes a dead link fail)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    assert config["strict"] is True
    checks = ("omitted_files", "absolute_links", "unrecognized_links", "anchors", "not_found")
    assert {name: config["validation"].get(name) for name in checks} == dict.fromkeys(
        checks, "warn"
    )
    snippets = next(e for e in config["markdown_extensions"] if "pymdownx.snippets" in e)
    assert snippets["pymdownx.snippets"]["check_paths"] is True  # a missing example fails


def _text(site: Path, page: str) -> str:
    """A built page's text, without its markup."""
    raw = (site / page / "index.html").read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


def _anchors(path: Path) -> set[str]:
    return set(re.findall(r'id="([^"]+)"', path.read_text(encoding="utf-8")))


def test_every_public_name_is_on_exactly_one_reference_page(site: Path) -> None:
    pages = {p: _anchors(p) for p in (site / "reference").rglob("index.html")}
    places = {
        name: [p.parent.name for p, ids in pages.items() if f"xpander_sdk.{name}" in ids]
        for name in xpander_sdk.__all__
    }
    wrong = {name: where for name, where in places.items() if len(where) != 1}
    assert not wrong, f"on no page or on more than one: {wrong}"


def test_the_emulator_api_is_in_the_reference(site: Path) -> None:
    ids = _anchors(site / "reference" / "emulator" / "index.html")
    missing = [n for n in emulator.__all__ if f"xpander_sdk.emulator.{n}" not in ids]
    assert not missing, missing
    fields = [f.name for f in dataclasses.fields(EmulatorConfig)]
    text = _text(site, "reference/emulator")
    assert [f for f in fields if f not in text] == []


def _cli_words(parser: argparse.ArgumentParser) -> set[str]:
    """Every command name and option string of a parser, its subcommands' included."""
    words: set[str] = set()
    for action in parser._actions:
        words.update(action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                words.add(name)
                words |= _cli_words(sub)
    return words


def test_every_command_and_option_of_xpander_tasks_is_on_its_page(site: Path) -> None:
    words = _cli_words(build_parser())
    assert {"create", "follow", "--json", "--no-events"} <= words  # the reader works
    text = _text(site, "cli")
    missing = sorted(w for w in words if not re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text))
    assert not missing, f"not on docs/cli.md: {missing}"


def test_every_option_of_the_emulator_is_on_its_page(site: Path) -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    flags = {s for a in parser._actions for s in a.option_strings if s not in ("-h", "--help")}
    assert len(flags) == len(dataclasses.fields(EmulatorConfig))
    text = _text(site, "emulator")
    missing = sorted(f for f in flags if not re.search(rf"{re.escape(f)}(?![\w-])", text))
    assert not missing, f"not on docs/emulator/index.md: {missing}"


#: Where the project reads its XPANDER_* settings: the package, and its own tools.
_READERS = ["xpander_sdk", "tests", "scripts", "bench", "examples", "Makefile", ".ci"]


def test_every_xpander_variable_the_code_reads_is_listed(site: Path) -> None:
    found: set[str] = set()
    for name in _READERS:
        path = ROOT / name
        files = [f for f in path.rglob("*") if f.is_file()] if path.is_dir() else [path]
        for f in files:
            if f.suffix in (".py", ".sh", "") or f.name == "Makefile":
                found |= set(re.findall(r"XPANDER_[A-Z_]*[A-Z]", f.read_text(errors="ignore")))
    assert {"XPANDER_API_KEY", "XPANDER_LOG", "XPANDER_HTTP_BACKEND"} <= found
    text = _text(site, "reference/environment")
    missing = sorted(v for v in found if not re.search(rf"{v}(?![A-Z_])", text))
    assert not missing, f"not on docs/reference/environment.md: {missing}"
