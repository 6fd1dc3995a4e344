"""The terminal view: the live view under a real pseudo-terminal, and the views' pieces
(tool calls, status changes, the summary) rendered through rich's own capture."""

from __future__ import annotations

import io
import os
import re
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from rich.console import Console

from xpander_sdk import Configuration, Task, Tasks, TaskUpdateEvent
from xpander_sdk.cli.output import PlainOutput
from xpander_sdk.cli.render import LiveFollower, RichOutput
from xpander_sdk.emulator import EmulatorServer

from .conftest import run_cli

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run_in_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the CLI with a pseudo-terminal as its stdout and stderr; its exit code and
    everything it wrote, as the terminal received it."""
    leader, follower = os.openpty()
    chunks: list[bytes] = []

    def read() -> None:  # as a terminal does: whatever comes, until the other side closes
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other side closed
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read, name="terminal-reader")
    reader.start()
    try:
        with open(follower, "w", encoding="utf-8") as terminal:
            code = run_cli(*args, env=env, terminal=terminal).code
    finally:
        reader.join(30)
        os.close(leader)
    assert not reader.is_alive(), "the terminal was never closed"
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_live_view_in_a_terminal(emulator: EmulatorServer) -> None:
    env = {**emulator.env(), "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "40"}
    code, raw = run_in_terminal(["create", "agent-live", "Summarize Q3", "--follow"], env)
    assert code == 0, raw
    assert "\x1b[" in raw  # styled: the live view, not plain lines
    assert "\x1b[?25l" in raw  # the cursor hidden while the status line updates ...
    assert "\x1b[?25h" in raw  # ... and shown again
    screen = ANSI.sub("", raw)
    assert "created task " in screen
    assert "Emulated answer to: Summarize Q3" in screen
    assert "● executing" in screen
    assert "● completed" in screen
    assert re.search(r"task \S+ completed in [\d.]+s, 7 events", screen)


def test_tables_in_a_terminal(
    emulator: EmulatorServer, tasks_for: Callable[..., list[str]]
) -> None:
    (task_id,) = tasks_for("agent-table", 1)
    env = {**emulator.env(), "TERM": "xterm-256color", "COLUMNS": "120"}
    code, raw = run_in_terminal(["list", "agent-table"], env)
    assert code == 0, raw
    screen = ANSI.sub("", raw)
    assert screen.split()[:4] == ["ID", "STATUS", "CREATED", "TITLE"]
    assert task_id in screen and "completed" in screen
    code, raw = run_in_terminal(["get", task_id], env)
    assert code == 0 and "\x1b[" in raw
    assert "Emulated answer to: hello" in ANSI.sub("", raw)


def _events(emulator: EmulatorServer) -> tuple[Task, list[TaskUpdateEvent]]:
    """A real task, and a run of events around it that the emulator's agent cannot make:
    tool calls, a thought, an unknown type."""
    configuration = Configuration(
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        organization_id=emulator.organization_id,
    )
    with Tasks(configuration) as tasks:
        task = tasks.create("agent-view", prompt="find it", events_streaming=True)
        done = task.wait_for_completion(timeout=30)
        base = task.to_dict()

        def as_task(**changes: Any) -> Task:
            return Task.from_dict({**base, **changes}, tasks)

    now = datetime.now(timezone.utc)

    def event(kind: str, data: Any) -> TaskUpdateEvent:
        return TaskUpdateEvent(kind, task.id, task.organization_id, now, data)

    run = [
        event("task_created", as_task(status="pending")),
        event("task_updated", as_task(status="executing")),
        event("chunk", "Looking "),
        event("chunk", "it up."),
        event("tool_call_request", {"tool_name": "search", "payload": {"q": "Q3"}}),
        event("tool_call_result", {"tool_name": "search", "result": "3 hits"}),
        event("think", {"text": "compare them"}),
        event("chunk", "Found it."),
        event("task_finished", done),
    ]
    return done, run


def test_live_view_pieces_through_rich_capture(emulator: EmulatorServer) -> None:
    final, run = _events(emulator)
    # Not a terminal: the status line is not redrawn into the capture (the pty test sees it).
    console = Console(record=True, force_terminal=False, width=100, file=io.StringIO())
    with RichOutput(console).follower(run[0].data, "following") as view:
        for event in run[:3]:
            view.event(event)
        status_line = Console(width=100, file=io.StringIO(), record=True)
        status_line.print(view.live.renderable)
        for event in run[3:]:
            view.event(event)
        view.finish(final)
    paragraph, status = status_line.export_text().splitlines()
    assert paragraph == "Looking "  # streaming, above the status line
    assert re.fullmatch(r". executing  [\d.]+s  3 events", status)
    text = console.export_text()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0].startswith(f"following task {final.id}")
    assert "Looking it up." in lines
    assert any(line.endswith("● executing") for line in lines)
    assert any(line.endswith('⚙ tool search({"q": "Q3"})') for line in lines)
    assert any(line.endswith("⚙ tool search -> 3 hits") for line in lines)
    assert any(line.endswith('think: {"text": "compare them"}') for line in lines)
    # the text streamed before the tool call is shown before it, the rest after
    needles = ("Looking it up.", "tool search(", "Found it.", "completed in")
    order = [next(i for i, line in enumerate(lines) if needle in line) for needle in needles]
    assert order == sorted(order)
    assert f"task {final.id} completed in" in text
    assert "9 events" in text
    # the result differs from what was streamed, so the summary shows it
    assert "Emulated answer to: find it" in text


def test_plain_view_has_the_same_information(emulator: EmulatorServer) -> None:
    final, run = _events(emulator)
    out = io.StringIO()
    with PlainOutput(out).follower(run[0].data, "following") as view:
        for event in run:
            view.event(event)
        view.finish(final)
    text = out.getvalue()
    assert "\x1b" not in text
    lines = text.splitlines()
    assert lines[0] == f"following task {final.id} (agent agent-view)"
    assert re.fullmatch(r"\[[\d.]+s\] pending", lines.pop(1))
    assert re.fullmatch(r"\[[\d.]+s\] executing", lines[1])
    assert lines[2] == "Looking it up."
    assert re.fullmatch(r'\[[\d.]+s\] tool search\(\{"q": "Q3"\}\)', lines[3])
    assert re.fullmatch(r"\[[\d.]+s\] tool search -> 3 hits", lines[4])
    assert re.fullmatch(r'\[[\d.]+s\] think: \{"text": "compare them"\}', lines[5])
    assert lines[6] == "Found it."
    assert re.fullmatch(r"\[[\d.]+s\] completed", lines[7])
    assert re.fullmatch(rf"task {final.id} completed in [\d.]+s, 9 events", lines[8])
    assert lines[9] == "result: Emulated answer to: find it"


def test_live_view_moves_whole_lines_above_the_status_line(emulator: EmulatorServer) -> None:
    final, _ = _events(emulator)
    console = Console(record=True, force_terminal=False, width=100, file=io.StringIO())
    with RichOutput(console).follower(final, "following") as view:
        assert isinstance(view, LiveFollower)
        view.show_text("line one\nline two\nline th")
        assert view.paragraph.plain == "line th"
        assert console.export_text(clear=False).splitlines()[-2:] == ["line one", "line two"]
        view.show_text("ree")
        view.finish(final)
    assert "line three" in console.export_text().splitlines()
