"""Import time (``python -X importtime``) and the runtime packages installed."""

from __future__ import annotations

import contextlib
import importlib.util
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ImportTime:
    module: str
    where: str
    median_ms: float | None
    runs_ms: list[float]
    error: str = ""


def _cumulative_us(stderr: str, module: str) -> int | None:
    """The cumulative microseconds of ``module``'s own top-level line."""
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        fields = line[len("import time:") :].split("|")
        if len(fields) == 3 and fields[2].rstrip() == f" {module}":
            return int(fields[1])
    return None


def import_time(module: str, site: Path | None = None, runs: int = 7) -> ImportTime:
    """The median over fresh interpreters (after one untimed run to write .pyc).

    With ``site``, the interpreter sees the standard library and that folder
    only (``-I -S``), as after ``pip install xpander-sdk`` into a clean
    environment; without it, this virtualenv as it is.
    """
    where = "this .venv" if site is None else "runtime packages only"
    if site is None:
        command = [sys.executable, "-X", "importtime", "-c", f"import {module}"]
    else:
        code = f"import sys; sys.path.insert(0, {str(site)!r}); import {module}"
        command = [sys.executable, *_isolated(site), "-X", "importtime", "-c", code]
    times: list[float] = []
    for attempt in range(runs + 1):
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
        if done.returncode != 0:
            last = done.stderr.strip().splitlines()[-1:] or ["?"]
            return ImportTime(module, where, None, [], f"import failed: {last[0]}")
        micros = _cumulative_us(done.stderr, module)
        if micros is None:
            return ImportTime(module, where, None, [], "no importtime line for it")
        if attempt:
            times.append(micros / 1000)
    return ImportTime(module, where, statistics.median(times), times)


def _isolated(site: Path) -> list[str]:
    """Flags of an interpreter that sees the standard library and ``site`` only.

    ``-I`` also ignores PYTHONDONTWRITEBYTECODE, so the .pyc files go to a folder of the
    site's own, not beside the sources (generated/ must stay as `make generate` wrote it).
    """
    return ["-I", "-S", "-X", f"pycache_prefix={site / '.pycache'}"]


@dataclass(frozen=True)
class ImportRatio:
    """Medians of statements timed side by side, each over ``base`` (``import httpx``)."""

    base: str
    medians_ms: dict[str, float]
    runs: int
    error: str = ""

    def ratio(self, statement: str) -> float:
        return self.medians_ms[statement] / self.medians_ms[self.base]


def import_ratio(site: Path, statements: list[str], runs: int = 15) -> ImportRatio:
    """Each statement timed in turn, round after round, each in a fresh interpreter seeing
    only ``site`` (see `import_time`): a round runs every statement once, so a busy machine
    slows them alike and the ratios hold. ``statements[0]`` is the base.

    The time is the statement's own, taken around it in the interpreter (``-X importtime``
    would miss what ``from xpander_sdk import Tasks`` loads after the package itself).
    """
    times: dict[str, list[float]] = {s: [] for s in statements}
    for attempt in range(runs + 1):
        for statement in statements:
            code = (
                f"import sys, time; sys.path.insert(0, {str(site)!r}); "
                f"t = time.perf_counter(); {statement}; "
                "print((time.perf_counter() - t) * 1000)"
            )
            command = [sys.executable, *_isolated(site), "-c", code]
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
            if done.returncode != 0:
                last = done.stderr.strip().splitlines()[-1:] or ["?"]
                return ImportRatio(statements[0], {}, 0, f"{statement}: {last[0]}")
            if attempt:  # the first round writes .pyc files
                times[statement].append(float(done.stdout))
    medians = {s: statistics.median(t) for s, t in times.items()}
    return ImportRatio(statements[0], medians, runs)


@contextlib.contextmanager
def runtime_site(root: str = "xpander-sdk") -> Iterator[Path]:
    """A folder holding only ``root`` and its runtime packages (symlinks).

    The virtualenv also holds the dev tools, and some of them change what a
    runtime package imports: httpx imports its command-line client (and with
    it rich and click) whenever those two are installed.
    """
    with tempfile.TemporaryDirectory(prefix="bench-site-") as folder:
        site = Path(folder)
        tops = _own_top_levels(metadata.distribution(root))
        for name in runtime_packages(root).names:
            tops += _top_levels(metadata.distribution(name.split()[0]))
        for top in tops:
            link = site / top.name
            if not link.exists():
                link.symlink_to(top)
        yield site


def _own_top_levels(dist: metadata.Distribution) -> list[Path]:
    """Where this project's packages are imported from (an editable install)."""
    found = [
        importlib.util.find_spec(name) for name in (dist.read_text("top_level.txt") or "").split()
    ]
    return [
        Path(next(iter(spec.submodule_search_locations or [spec.origin or ""])))
        for spec in found
        if spec is not None
    ]


def _top_levels(dist: metadata.Distribution) -> list[Path]:
    """Where the importable top-level names of an installed ``dist`` live."""
    tops = {
        Path(str(file)).parts[0]
        for file in dist.files or []
        if not str(file).startswith("..") and Path(str(file)).parts[0] != "__pycache__"
    }
    return [Path(str(dist.locate_file(top))) for top in sorted(tops)]


@dataclass(frozen=True)
class Packages:
    root: str
    names: list[str]
    """The distributions ``root`` needs at run time, itself excluded, with versions."""
    missing: list[str]


def runtime_packages(root: str = "xpander-sdk") -> Packages:
    """The transitive closure of ``root``'s requirements, extras left out."""
    seen: dict[str, str] = {}
    missing: list[str] = []
    visited: set[tuple[str, str]] = set()
    pending: list[tuple[str, str]] = [(root, "")]
    while pending:
        name, extra = pending.pop()
        key = canonicalize_name(name)
        if (key, extra) in visited:
            continue
        visited.add((key, extra))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
            continue
        seen[key] = f"{dist.metadata['Name']} {dist.version}"
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
                continue
            pending.append((requirement.name, ""))
            pending += [(requirement.name, wanted) for wanted in requirement.extras]
    seen.pop(canonicalize_name(root), None)
    return Packages(root, sorted(seen.values(), key=str.lower), sorted(set(missing)))
