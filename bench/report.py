"""The machine, the tables and the verdicts against the issue's targets."""

from __future__ import annotations

import os
import platform
import statistics
import sys
from dataclasses import dataclass, field
from importlib import metadata

from bench.cases import Case, Contender
from bench.footprint import ImportRatio, ImportTime, Packages

IMPORT_TARGET_MS = 150.0
#: Timed side by side (`footprint.import_ratio`); the first is the base of the ratios.
IMPORT_STATEMENTS = ("import httpx", "import xpander_sdk", "from xpander_sdk import Tasks")
#: `import xpander_sdk` may take at most this many times `import httpx` (issue 21).
IMPORT_RATIO_TARGET = 1.5
PACKAGES_TARGET = 15
MEMORY_GROWTH_LIMIT = 1.5
"""Flat: the peak at the largest count at most this times the peak at the smallest."""

_KIND = {
    "sdk": "xpander_sdk",
    "generated": "generated",
    "httpx": "httpx",
    "reference": "httpx+aiohttp",
}


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = ", ".join(
        f"{name} {_version(name)}"
        for name in ("httpx", "httpcore", "h11", "httpx-sse", "aiohttp", "httpx-aiohttp")
    )
    return (
        f"machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}\n"
        f"python:  {platform.python_implementation()} {sys.version.split()[0]}; {versions}"
    )


@dataclass
class Verdict:
    what: str
    figure: str
    target: str
    passed: bool | None
    """None when it could not be measured."""


@dataclass
class Results:
    rates: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    errors: dict[tuple[str, str], str] = field(default_factory=dict)
    verdicts: list[Verdict] = field(default_factory=list)

    def add(self, case: Case, contender: Contender, rate: float) -> None:
        self.rates.setdefault((case.key, contender.label), []).append(rate)


def _number(value: float) -> str:
    return f"{value:,.0f}"


def _ratio(rates: list[float], baseline: list[float] | None) -> float | None:
    """The median over rounds of this contender's rate over plain httpx's.

    The two ran back to back in each round, so a round's ratio cancels what
    the machine was doing then; the median drops the rounds it did not.
    """
    if not baseline or len(baseline) != len(rates):
        return None
    return statistics.median(mine / theirs for mine, theirs in zip(rates, baseline, strict=True))


def rate_table(cases: list[Case], results: Results, rounds: int) -> str:
    lines = [
        "rates per second; 'vs httpx' is the median over rounds of the ratio in each round",
        f"{'case / contender':<48}{'median':>10}{'min':>10}{'max':>10}"
        f"{'vs httpx':>10}{'target':>9}  verdict",
    ]
    for case in cases:
        lines.append(f"{case.title} ({case.unit}, {rounds} rounds)")
        lines += [f"  {line}" for line in case.skipped]
        httpx_rates = next(
            (results.rates.get((case.key, c.label)) for c in case.contenders if c.kind == "httpx"),
            None,
        )
        for contender in case.contenders:
            label = f"  {_KIND[contender.kind]:<12}{contender.label}"
            error = results.errors.get((case.key, contender.label))
            rates = results.rates.get((case.key, contender.label), [])
            if error:
                lines.append(f"{label:<48}failed: {error}")
            if not rates:
                continue
            median = statistics.median(rates)
            ratio = _ratio(rates, httpx_rates)
            row = (
                f"{label:<48}{_number(median):>10}{_number(min(rates)):>10}"
                f"{_number(max(rates)):>10}{(f'{ratio:.3f}' if ratio else '-'):>10}"
            )
            target = contender.target if contender.target is not None else case.target
            if contender.kind == "sdk" and target is not None:
                passed = ratio is not None and ratio >= target
                row += f"{f'>= {target:.2f}':>9}  {'PASS' if passed else 'MISS'}"
                results.verdicts.append(
                    Verdict(
                        f"{case.title}: {contender.label} / httpx",
                        f"{ratio:.3f}" if ratio else "-",
                        f">= {target:.2f}",
                        passed,
                    )
                )
            lines.append(row)
        if not any(c.kind == "sdk" for c in case.contenders) and case.target is not None:
            results.verdicts.append(
                Verdict(f"{case.title}: SDK / httpx", "-", f">= {case.target:.2f}", None)
            )
    return "\n".join(lines)


def memory_table(peaks: dict[str, dict[int, int]], results: Results) -> str:
    counts = sorted({n for by_count in peaks.values() for n in by_count})
    header = f"{'events, tracemalloc peak while streaming':<44}" + "".join(
        f"{f'{n:,} events':>16}" for n in counts
    )
    lines = [header]
    for label, by_count in peaks.items():
        cells = "".join(
            f"{(f'{by_count[n] / 1024:,.0f} KiB' if n in by_count else '-'):>16}" for n in counts
        )
        lines.append(f"  {label:<42}{cells}")
        if label.startswith("xpander_sdk") and len(counts) > 1:
            low, high = by_count.get(counts[0]), by_count.get(counts[-1])
            growth = high / low if low and high else None
            results.verdicts.append(
                Verdict(
                    f"events: SDK peak memory, {counts[-1]:,} vs {counts[0]:,} events",
                    f"x{growth:.2f}" if growth else "-",
                    f"<= x{MEMORY_GROWTH_LIMIT}",
                    None if growth is None else growth <= MEMORY_GROWTH_LIMIT,
                )
            )
    return "\n".join(lines)


def footprint_table(times: list[ImportTime], packages: Packages, results: Results) -> str:
    lines = ["import time (python -X importtime, cumulative, median of fresh interpreters)"]
    for timing in times:
        what = f"  import {timing.module:<20}{timing.where:<24}"
        if timing.median_ms is None:
            lines.append(f"{what}{timing.error}")
        else:
            spread = f"{min(timing.runs_ms):.1f}-{max(timing.runs_ms):.1f}"
            lines.append(
                f"{what}{timing.median_ms:>8.1f} ms   ({len(timing.runs_ms)} runs, {spread} ms)"
            )
    lines.append(
        "  (the .venv also holds the dev tools; with rich and click installed, httpx\n"
        "   imports its command-line client too, so the runtime-only figure is the one\n"
        "   a user of `pip install xpander-sdk` gets)"
    )
    sdk = next(
        (t for t in times if t.module == "xpander_sdk" and t.where.startswith("runtime")), None
    )
    if sdk is not None:
        results.verdicts.append(
            Verdict(
                "import xpander_sdk (runtime packages only)",
                "-" if sdk.median_ms is None else f"{sdk.median_ms:.1f} ms",
                f"< {IMPORT_TARGET_MS:.0f} ms",
                None if sdk.median_ms is None else sdk.median_ms < IMPORT_TARGET_MS,
            )
        )
    count = len(packages.names)
    lines.append(
        f"runtime packages of {packages.root} (its requirements, theirs, and so on): {count}"
    )
    lines.append("  " + ", ".join(packages.names))
    if packages.missing:
        lines.append(f"  not installed: {', '.join(packages.missing)}")
    results.verdicts.append(
        Verdict("runtime packages", str(count), f"< {PACKAGES_TARGET}", count < PACKAGES_TARGET)
    )
    return "\n".join(lines)


def import_ratio_table(ratio: ImportRatio, results: Results) -> str:
    lines = [
        "import time side by side (runtime packages only, timed around the statement; one"
        " round runs each statement once, median of the rounds)"
    ]
    if ratio.error:
        lines.append(f"  failed: {ratio.error}")
    for statement, median in ratio.medians_ms.items():
        times = "" if statement == ratio.base else f"   {ratio.ratio(statement):.2f}x"
        lines.append(f"  {statement:<34}{median:>8.1f} ms{times}")
    if ratio.medians_ms:
        lines.append(f"  ({ratio.runs} rounds; x: over `{ratio.base}` in the same rounds)")
    sdk = IMPORT_STATEMENTS[1]
    figure = ratio.ratio(sdk) if sdk in ratio.medians_ms else None
    results.verdicts.append(
        Verdict(
            f"{sdk} over {ratio.base} (side by side)",
            "-" if figure is None else f"{figure:.2f}x",
            f"<= {IMPORT_RATIO_TARGET}x",
            None if figure is None else figure <= IMPORT_RATIO_TARGET,
        )
    )
    return "\n".join(lines)


def verdicts(results: Results) -> str:
    lines = ["targets"]
    for verdict in results.verdicts:
        mark = {True: "PASS", False: "MISS", None: "SKIP"}[verdict.passed]
        lines.append(f"  {mark}  {verdict.what:<84}{verdict.figure:>10}  (target {verdict.target})")
    return "\n".join(lines)
