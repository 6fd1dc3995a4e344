"""What the doc tests read from the pages: their fenced blocks, the examples they include,
the commands they show, and the output they promise.

A page shows Python in two ways: a ``python`` fence holding only a snippet line
(``--8<-- "docs_src/guides/tasks/create.py"``), whose file tests/docs runs; or, where an
example truly cannot run here, a fence right after a ``<!-- not run: why -->`` comment.
Commands of ``xpander-tasks`` are shown in ``console`` fences, one per ``$ `` line, with
the output they print below them. In promised output (a ``console`` fence's lines, an
example's ``# >`` comments) ``...`` stands for any text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
DOCS_SRC = ROOT / "docs_src"
README = ROOT / "README.md"

_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+|~~~+)(?P<info>[^\n`]*)$")
_SNIPPET = re.compile(r'^-{2}8<-{2} "(?P<path>[^"]+)"$')
_NOT_RUN = re.compile(r"<!-- not run: (?P<why>[^>]+?) -->\s*$")
#: `$ xpander-tasks get x   # exits 1`: the exit code a command is shown to end with.
_EXITS = re.compile(r"#\s*exits\s+(?P<code>\d+)\s*$")


@dataclass
class Block:
    """One fenced block of a page."""

    page: Path
    line: int  # 1-based line of the opening fence
    language: str
    text: str
    not_run: str | None = None  # the reason given in a `<!-- not run: ... -->` before it

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    @property
    def snippet(self) -> str | None:
        """The file a block includes when it holds one snippet line and nothing else."""
        lines = [line for line in self.text.splitlines() if line.strip()]
        if len(lines) == 1 and (found := _SNIPPET.match(lines[0].strip())):
            return found["path"]
        return None


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of a Markdown page, in order."""
    out: list[Block] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        fence, indent = opening["fence"], len(opening["indent"])
        language = opening["info"].strip().split(" ")[0].lower()
        before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        marked = _NOT_RUN.search(before)
        body: list[str] = []
        j = i + 1
        while j < len(lines) and lines[j].strip() != fence:
            body.append(lines[j][indent:])
            j += 1
        out.append(Block(page, i + 1, language, "\n".join(body), marked and marked["why"]))
        i = j + 1
    return out


def pages() -> list[Path]:
    """Every Markdown page of the site, in a stable order."""
    return sorted(DOCS.rglob("*.md"))


@dataclass
class Command:
    """One ``$ `` line of a console block, and what it is shown to print and end with."""

    line: str
    output: list[str] = field(default_factory=list)
    exit_code: int = 0


def commands(block: Block) -> list[Command]:
    """The commands of a ``console`` block (a ``\\`` at a line's end continues it)."""
    out: list[Command] = []
    pending = ""
    for raw in block.text.splitlines():
        if pending:
            pending += "\n" + raw
            if not raw.endswith("\\"):
                out.append(_command(pending))
                pending = ""
        elif raw.startswith("$ "):
            if raw.endswith("\\"):
                pending = raw[2:]
            else:
                out.append(_command(raw[2:]))
        elif out and raw.strip():
            out[-1].output.append(raw)
    return out


def _command(text: str) -> Command:
    exits = _EXITS.search(text)
    return Command(text, exit_code=int(exits["code"]) if exits else 0)


#: An example's comment line that promises output: ``# > text`` (ruff's format of ``#> text``).
_PRINTS = re.compile(r"^\s*# >(?: (?P<text>.*))?$")


def expected_output(source: str) -> list[str]:
    """An example's promised output: its ``# > `` comment lines, in order."""
    return [m["text"] or "" for line in source.splitlines() if (m := _PRINTS.match(line))]


def _pattern(shown: str) -> re.Pattern[str]:
    parts = (re.escape(part) for part in shown.rstrip().split("..."))
    return re.compile(".*".join(parts) + r"\s*")


def missing_output(shown: list[str], printed: str) -> list[str]:
    """The shown lines that the printed text does not have, in that order ([] when all are)."""
    lines = printed.splitlines()
    at = 0
    for n, want in enumerate(shown):
        pattern = _pattern(want)
        while at < len(lines) and not pattern.fullmatch(lines[at]):
            at += 1
        if at == len(lines):
            return shown[n:]
        at += 1
    return []
