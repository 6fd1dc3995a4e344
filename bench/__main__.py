"""``python -m bench``: every case side by side in one run, then the verdicts."""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.util
import sys
import time
from collections.abc import Callable
from types import ModuleType

from bench import cases, footprint, pydantic_dump, report, responder, streams
from bench.cases import Case, Sizes

QUICK = Sizes(
    lookups=200, fanout=200, fanout_batches=1, creates=200, events=10_000,
    memory_events=(1_000, 10_000), streams=(10, 100),
)  # fmt: skip
STEPS = (
    "get", "aget", "fanout-cold", "fanout-warm", "create", "acreate", "events", "memory",
    "streams", "import", "pydantic",
)  # fmt: skip


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="rounds of each case (5)")
    parser.add_argument("--quick", action="store_true", help="small sizes, 2 rounds: a smoke run")
    parser.add_argument(
        "--only", default=",".join(STEPS), help=f"comma-separated steps of {', '.join(STEPS)}"
    )
    parser.add_argument(
        "--profile",
        metavar="CASE[:KIND]",
        help="instead of the run, profile one contender with pyinstrument "
        "(KIND: sdk (default), generated, httpx), e.g. --profile get",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--no-emulator", action="store_true", help="skip bench.emulator")
    return parser.parse_args()


def _say(text: str) -> None:
    print(text, flush=True)


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run_rates(selected: list[Case], rounds: int, results: report.Results) -> None:
    """Each round runs every case; within a case the order rotates by round."""
    for round_no in range(rounds):
        started = time.perf_counter()
        for case in selected:
            live = [c for c in case.contenders if (case.key, c.label) not in results.errors]
            shift = round_no % len(live) if live else 0
            for contender in live[shift:] + live[:shift]:
                gc.collect()
                try:
                    results.add(case, contender, contender.measure())
                except Exception as error:
                    results.errors[(case.key, contender.label)] = f"{error!r:.160}"
        _progress(f"round {round_no + 1}/{rounds} done in {time.perf_counter() - started:.1f} s")


def run_memory(
    base_url: str, sizes: Sizes, sdk: ModuleType | None, why_not: str
) -> tuple[dict[str, dict[int, int]], list[str]]:
    runners: dict[str, Callable[[int], cases.StreamRun]] = {}
    notes: list[str] = []
    if sdk is not None:
        runners["xpander_sdk  Task.aevents"] = lambda n: cases.sdk_aevents(
            sdk, base_url, n, trace=True
        )
    else:
        notes.append(f"  xpander_sdk skipped: {why_not}")
    runners["httpx        httpx-sse + json.loads"] = lambda n: cases.httpx_sse_events(
        base_url, n, trace=True
    )
    peaks: dict[str, dict[int, int]] = {label: {} for label in runners}
    for n in sizes.memory_events:
        for label, run in runners.items():
            gc.collect()
            try:
                peak = run(n).peak_bytes
            except Exception as error:
                notes.append(f"  {label.split()[0]} failed at {n:,} events: {error!r:.160}")
                continue
            if peak is not None:
                peaks[label][n] = peak
    return peaks, notes


def profile(target: str, base_url: str, sizes: Sizes, sdk: ModuleType | None) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        sys.exit("--profile needs pyinstrument: pip install -e '.[bench]'")
    key, _, kind = target.partition(":")
    chosen = [
        c
        for case in cases.build(base_url, sizes, sdk, "")
        if case.key == key
        for c in case.contenders
        if c.kind == (kind or "sdk")
    ]
    if not chosen:
        sys.exit(f"no {kind or 'sdk'} contender for case {key!r}")
    chosen[0].measure()  # warm
    with Profiler(interval=0.0002, async_mode="disabled") as profiler:
        rate = chosen[0].measure()
    _say(f"{key} / {chosen[0].label}: {rate:,.0f} per second under the profiler")
    profiler.print(show_all=False, short_mode=False)


def run_emulator_bench() -> None:
    """The emulator's own figures, when its module is there."""
    if importlib.util.find_spec("bench.emulator") is None:
        _say("\nemulator: bench/emulator.py not present, skipped")
        return
    _say("\n== emulator ==")
    argv = sys.argv
    sys.argv = ["python -m bench.emulator"]  # our flags are not its flags
    try:
        emulator = importlib.import_module("bench.emulator")
        emulator.main()
    except SystemExit as stop:
        if stop.code not in (None, 0):
            _say(f"emulator bench stopped: exit {stop.code}")
    except Exception as error:
        _say(f"emulator bench failed: {error!r}")
    finally:
        sys.argv = argv


def main() -> int:
    args = _arguments()
    sizes = QUICK if args.quick else Sizes()
    rounds = 2 if args.quick and args.rounds == 5 else args.rounds
    steps = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(steps) - set(STEPS)
    if unknown:
        sys.exit(f"unknown steps: {', '.join(sorted(unknown))}")
    sdk, why_not = cases.load_facade()
    warm = [sizes.events, *sizes.memory_events]

    if args.profile:
        with responder.running(warm) as base_url:
            profile(args.profile, base_url, sizes, sdk)
        return 0

    _say(report.machine())
    results = report.Results()
    started = time.perf_counter()
    selected_keys = [s for s in steps if s not in ("memory", "streams", "import")]
    if selected_keys or "memory" in steps:
        with responder.running(warm) as base_url:
            _say(f"responder: {base_url} (a separate process; canned answers)\n")
            selected = [
                c for c in cases.build(base_url, sizes, sdk, why_not) if c.key in selected_keys
            ]
            if selected:
                run_rates(selected, rounds, results)
                _say(report.rate_table(selected, results, rounds))
            if "memory" in steps:
                peaks, notes = run_memory(base_url, sizes, sdk, why_not)
                _say("\n" + report.memory_table(peaks, results))
                for note in notes:
                    _say(note)
    if "streams" in steps:
        if sdk is None:
            _say(f"\nstreams: skipped, {why_not}")
        else:
            _say("\n" + streams.table(streams.measure(sdk, sizes.streams)))
    if "import" in steps:
        with footprint.runtime_site() as site:
            times = [
                footprint.import_time(module, site)
                for module in ("xpander_sdk", "xpander_api_client", "httpx")
            ]
            ratio = footprint.import_ratio(site, list(report.IMPORT_STATEMENTS))
        times.append(footprint.import_time("xpander_sdk"))
        _say("\n" + report.footprint_table(times, footprint.runtime_packages(), results))
        _say("\n" + report.import_ratio_table(ratio, results))
    if "pydantic" in steps:
        ours, published, note = pydantic_dump.measure(rounds)
        _say("\n" + pydantic_dump.table(ours, published, note))
        for name, ratio in pydantic_dump.ratios(ours, published).items():
            figure = "-" if ratio is None else f"{ratio:.2f}x"
            passed = None if ratio is None else ratio < 1.0
            what = f"{name} of a full task, over the published SDK's"
            results.verdicts.append(report.Verdict(what, figure, "< 1.00x", passed))
    _say("\n" + report.verdicts(results))
    _say(f"\nbench took {time.perf_counter() - started:.0f} s")
    if not args.no_emulator:
        run_emulator_bench()
    missed = any(v.passed is False for v in results.verdicts)
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
