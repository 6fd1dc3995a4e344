"""The pydantic protocol's cost: a full task dumped by this SDK and by the published one.

``python -m bench --only pydantic`` (part of ``make bench``). The task is the one
``make compat`` compares call for call (scripts/compat/pydantic_calls.py: every field
given). The published SDK (its venv, which ``make compat`` installs in
``.venv-published-sdk``) runs in a child process that this one drives round by round,
so the two alternate on the same machine. Each figure is CPU microseconds per call
(``time.process_time``: steadier than the wall clock on a shared machine), the median
over the rounds of the best of a few repeats.

- ``model_dump(mode="json")``, ``model_dump_json()``, ``model_dump()``: one task, dumped
  again and again (what a web route returning a task, or a cache writer, pays per call);
- ``answer -> model_dump_json()``: the answer's bytes made a task and dumped once (what
  a route that fetches a task and returns it pays for the object: the published SDK
  validates every field when it makes one; this SDK reads a field when first asked).
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED_PYTHON = ROOT / ".venv-published-sdk" / "bin" / "python"
CASES = (
    "model_dump(mode='json')",
    "model_dump_json()",
    "model_dump()",
    "answer -> model_dump_json()",
)
TARGETS = ("model_dump(mode='json')", "model_dump_json()")

# The child: the published SDK's Task from the same answer; per line read, one round.
_CHILD = """
import json, sys, time, timeit
from xpander_sdk.models.configuration import Configuration
from xpander_sdk.modules.tasks.sub_modules.task import Task
raw = sys.stdin.readline().encode()
number = int(sys.stdin.readline())
settings = Configuration(
    api_key="bench-key", base_url="http://127.0.0.1:9", organization_id="local-org"
)
task = Task.model_validate({**json.loads(raw), "configuration": settings})
cases = {
    "model_dump(mode='json')": lambda: task.model_dump(mode="json"),
    "model_dump_json()": task.model_dump_json,
    "model_dump()": task.model_dump,
    "answer -> model_dump_json()": lambda: Task.model_validate(
        {**json.loads(raw), "configuration": settings}
    ).model_dump_json(),
}
for line in sys.stdin:
    timer = lambda f: min(timeit.Timer(f, timer=time.process_time).repeat(3, number)) / number
    print(json.dumps({name: timer(call) * 1e6 for name, call in cases.items()}), flush=True)
"""


def _seed_task() -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location(
        "pydantic_calls", ROOT / "scripts/compat/pydantic_calls.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    task: dict[str, Any] = module.seed_task("local-org")
    return task


def _ours(raw: bytes, number: int) -> tuple[Callable[[], dict[str, float]], Callable[[], None]]:
    from xpander_api_client import models as gen

    from xpander_sdk import Configuration, Task, Tasks

    tasks = Tasks(
        Configuration(
            api_key="bench-key", base_url="http://127.0.0.1:9", organization_id="local-org"
        )
    )
    task = Task(gen.Task.from_dict(json.loads(raw)), raw, tasks)

    def answer_dumped() -> str:
        return Task(gen.Task.from_dict(json.loads(raw)), raw, tasks).model_dump_json()

    cases: dict[str, Callable[[], Any]] = {
        "model_dump(mode='json')": lambda: task.model_dump(mode="json"),
        "model_dump_json()": task.model_dump_json,
        "model_dump()": task.model_dump,
        "answer -> model_dump_json()": answer_dumped,
    }

    def measure() -> dict[str, float]:
        return {
            name: min(timeit.Timer(call, timer=time.process_time).repeat(3, number)) / number * 1e6
            for name, call in cases.items()
        }

    return measure, tasks.close


def measure(
    rounds: int, number: int = 300
) -> tuple[dict[str, list[float]], dict[str, list[float]], str]:
    """Per case, our figures and the published SDK's (none when it is not installed); a note."""
    raw = json.dumps(_seed_task(), separators=(",", ":")).encode()
    ours_round, close = _ours(raw, number)
    ours: dict[str, list[float]] = {name: [] for name in CASES}
    theirs: dict[str, list[float]] = {name: [] for name in CASES}
    note = ""
    child: subprocess.Popen[str] | None = None
    if PUBLISHED_PYTHON.exists():
        child = subprocess.Popen(
            [str(PUBLISHED_PYTHON), "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd="/tmp",  # its own xpander_sdk, not this checkout's
        )
        assert child.stdin is not None
        child.stdin.write(f"{raw.decode()}\n{number}\n")
        child.stdin.flush()
    else:
        note = f"the published SDK is not installed ({PUBLISHED_PYTHON}): run make compat once"
    try:
        for _ in range(rounds):
            for name, value in ours_round().items():
                ours[name].append(value)
            if child is not None and child.stdin is not None and child.stdout is not None:
                child.stdin.write("round\n")
                child.stdin.flush()
                line = child.stdout.readline()
                if not line:
                    note = "the published SDK's process ended early"
                    break
                for name, value in json.loads(line).items():
                    theirs[name].append(value)
    finally:
        close()
        if child is not None:
            if child.stdin is not None:
                child.stdin.close()
            child.wait(30)
            if child.stdout is not None:
                child.stdout.close()
    if child is not None and not note:
        version = subprocess.run(
            [str(PUBLISHED_PYTHON), "-c", "import importlib.metadata as m; "
             "print(m.version('xpander-sdk'), m.version('pydantic'))"],
            capture_output=True, text=True, cwd="/tmp", check=False,
        ).stdout.split()  # fmt: skip
        note = f"published xpander-sdk {version[0]} with pydantic {version[1]}" if version else ""
    return ours, theirs, note


def table(ours: dict[str, list[float]], theirs: dict[str, list[float]], note: str) -> str:
    lines = [
        "pydantic protocol: one full task, CPU microseconds per call (median of rounds)",
        f"  ({note})" if note else "",
        f"  {'call':<30}{'xpander_sdk':>13}{'published':>12}{'ratio':>8}",
    ]
    for name in CASES:
        mine = statistics.median(ours[name])
        published = statistics.median(theirs[name]) if theirs[name] else None
        ratio = f"{mine / published:.2f}" if published else "-"
        shown = f"{published:.1f}" if published else "-"
        lines.append(f"  {name:<30}{mine:>13.1f}{shown:>12}{ratio:>8}")
    return "\n".join(line for line in lines if line)


def ratios(ours: dict[str, list[float]], theirs: dict[str, list[float]]) -> dict[str, float | None]:
    """Ours over the published SDK's, per target case (None when not measured)."""
    return {
        name: statistics.median(ours[name]) / statistics.median(theirs[name])
        if theirs[name]
        else None
        for name in TARGETS
    }


if __name__ == "__main__":
    mine, published, why = measure(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
    print(table(mine, published, why))
