"""The terminal view (stdout is a terminal): tables, and a live view of a running task.

The live view keeps a status line at the bottom (a spinner, the status, the
time since the task was created, the events so far) under the agent's text
as it streams; status changes and tool calls are printed apart, above it,
and a summary closes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from xpander_sdk import AgentExecutionStatus, Task, TasksListItem

from .output import (
    Follower,
    Output,
    activity_line,
    list_rows,
    seconds,
    since,
    summary,
    task_rows,
)

_STATUS_STYLES = {
    AgentExecutionStatus.Pending: "yellow",
    AgentExecutionStatus.Executing: "cyan",
    AgentExecutionStatus.Paused: "yellow",
    AgentExecutionStatus.Completed: "green",
    AgentExecutionStatus.Stopped: "magenta",
    AgentExecutionStatus.Failed: "red",
    AgentExecutionStatus.Error: "red",
}


def status_text(status: AgentExecutionStatus | str | None) -> Text:
    """A status in its colour."""
    style = _STATUS_STYLES.get(status, "") if isinstance(status, AgentExecutionStatus) else ""
    return Text(str(status or "unknown"), style=f"bold {style}".strip())


class LiveFollower(Follower):
    """The live view of one task (see the module docstring)."""

    def __init__(self, task: Task, console: Console, announce: str) -> None:
        super().__init__(task)
        self.console = console
        self.announce = announce
        self.paragraph = Text()  # the text streaming now, until something else happens
        self.spinner = Spinner("dots", style="cyan")
        self.live = Live(
            self, console=console, refresh_per_second=8, transient=True, redirect_stdout=False
        )

    def __rich__(self) -> RenderableType:
        # Called on each refresh: the elapsed time moves on its own.
        status = Text.assemble(
            status_text(self.status) if self.status else Text("connecting", style="dim"),
            f"  {seconds(since(self.task.created_at))}",
            f"  {self.events} events",
        )
        self.spinner.text = status
        line: RenderableType = self.spinner
        return Group(self.paragraph, line) if self.paragraph else line

    def above(self, renderable: RenderableType) -> None:
        """Print above the live region, after the text streamed so far."""
        self.flush()
        self.console.print(renderable)

    def flush(self) -> None:
        if self.paragraph:
            self.console.print(self.paragraph)
            self.paragraph = Text()

    def stamp(self) -> Text:
        return Text(f"{seconds(self.at):>7} ", style="dim")

    def begin(self) -> None:
        self.console.print(
            Text.assemble(
                (f"{self.announce} task ", "bold"),
                (self.task.id, "bold"),
                (f"  agent {self.task.agent_id}  ", "dim"),
                status_text(self.status) if self.status else "",
            )
        )
        self.live.start()

    def end(self) -> None:
        self.flush()
        self.live.stop()

    def show_text(self, text: str) -> None:
        self.paragraph.append(text)
        # Whole lines go above at once: the live region keeps only the line being
        # written, so a long answer never outgrows the screen.
        done, newline, _ = self.paragraph.plain.rpartition("\n")
        if newline:
            self.console.print(self.paragraph[: len(done)])
            self.paragraph = self.paragraph[len(done) + 1 :]
        self.live.refresh()

    def show_status(self, task: Task) -> None:
        self.above(Text.assemble(self.stamp(), "● ", status_text(task.status)))

    def show_tool(self, line: str) -> None:
        self.above(Text.assemble(self.stamp(), (f"⚙ {line}", "blue")))

    def show_other(self, line: str) -> None:
        if line:
            self.above(Text.assemble(self.stamp(), (line, "dim")))

    def show_summary(self, line: str, result: str | None) -> None:
        self.flush()
        self.live.stop()
        body: list[RenderableType] = [Text(line)]
        if result:
            body.append(Text(result))
        self.console.print(
            Panel(
                Group(*body),
                title=status_text(self.task.status),
                title_align="left",
                expand=False,
                border_style=_STATUS_STYLES.get(self.task.status, "")
                if isinstance(self.task.status, AgentExecutionStatus)
                else "",
            )
        )


class RichOutput(Output):
    """Output for a terminal: tables and the live view."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(highlight=False)

    def task(self, task: Task) -> None:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        for label, text in task_rows(task):
            grid.add_row(label, status_text(task.status) if label == "status" else Text(text))
        self.console.print(grid)

    def tasks(self, items: Sequence[TasksListItem], agent_id: str) -> None:
        if not items:
            self.console.print(Text(f"no tasks for agent {agent_id}", style="dim"))
            return
        table = Table(box=None, header_style="bold dim", pad_edge=False)
        for name in ("ID", "STATUS", "CREATED", "TITLE"):
            table.add_column(name, no_wrap=name != "TITLE")
        for item, (task_id, _, created, title) in zip(items, list_rows(items), strict=True):
            table.add_row(task_id, status_text(item.status), created, title)
        self.console.print(table)

    def activity(self, thread: dict[str, Any]) -> None:
        messages = thread.get("messages") or []
        if not messages:
            self.console.print(Text(f"no activity for task {thread.get('id')}", style="dim"))
        for message in messages:
            label, text = activity_line(message)
            style = {"user": "bold cyan", "agent": "bold green"}.get(label, "bold magenta")
            self.console.print(Text.assemble((f"{label:>7} ", style), text))

    def finished(self, task: Task) -> None:
        line, _ = summary(task, "", 0)
        self.console.print(Text.assemble(status_text(task.status), "  ", line))
        if task.result:
            self.console.print(task.result, markup=False)

    def follower(self, task: Task, announce: str) -> Follower:
        return LiveFollower(task, self.console, announce)
