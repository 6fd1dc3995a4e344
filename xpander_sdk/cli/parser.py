"""The command line's grammar: `build_parser` (argparse, stdlib)."""

from __future__ import annotations

import argparse

from xpander_sdk import AgentExecutionStatus, OutputFormat, ThinkMode

EXIT_CODES = """\
exit codes:
  0    the command did what was asked (follow, wait, create --wait/--follow:
       the task ended completed)
  1    the API refused (not found, unauthorised, ...), could not be reached,
       or the task ended otherwise (failed, error, stopped) or not in time
  2    usage error or missing configuration (no API key)
  130  interrupted (Ctrl-C)
"""

CONFIGURATION = """\
configuration: --api-key, --base-url and --organization-id, else XPANDER_API_KEY,
XPANDER_BASE_URL and XPANDER_ORGANIZATION_ID (as the SDK reads them).
"""

_STATUSES = [s.value for s in AgentExecutionStatus]


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Accepted before and after the command: on the command's parser they
    # default to SUPPRESS, so they do not overwrite a value given before it.
    default = None if top else argparse.SUPPRESS
    group = parser.add_argument_group("common options")
    group.add_argument(
        "--json",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="machine output only: one JSON document (a JSON object per line for events)",
    )
    group.add_argument(
        "--api-key", default=default, metavar="KEY", help="API key (default: $XPANDER_API_KEY)"
    )
    group.add_argument(
        "--base-url",
        default=default,
        metavar="URL",
        help="API base URL (default: $XPANDER_BASE_URL)",
    )
    group.add_argument(
        "--organization-id",
        default=default,
        metavar="ORG",
        help="organization id (default: $XPANDER_ORGANIZATION_ID)",
    )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds: {text!r}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text!r}")
    return value


def _record(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    parser.add_argument(
        "--record",
        metavar="FILE",
        help=prefix + "write the run as an agent script that replays it"
        " (xpander-emulator --agents FILE); secrets masked",
    )


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``xpander-tasks``; each command's handler name is in ``command``."""
    parser = argparse.ArgumentParser(
        prog="xpander-tasks",
        description="Create, watch and manage xpander.ai agent tasks.",
        epilog=CONFIGURATION + "\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help,
            description=help,
            epilog=EXIT_CODES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _common(sub, top=False)
        return sub

    create = command("create", "create a task for an agent (and follow or wait for it)")
    create.add_argument("agent_id", metavar="AGENT_ID")
    create.add_argument("prompt", metavar="PROMPT", help="what the agent is asked to do")
    create.add_argument(
        "--file", action="append", default=[], metavar="URL", help="a file for the agent (repeat)"
    )
    create.add_argument("--title", help="the task's title")
    create.add_argument(
        "--events",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="publish the task's events, for follow (default: on)",
    )
    how = create.add_mutually_exclusive_group()
    how.add_argument("--follow", action="store_true", help="show the task's events live to its end")
    how.add_argument("--wait", action="store_true", help="wait for the task to end, then show it")
    create.add_argument(
        "--timeout", type=_seconds, metavar="S", help="with --wait: give up after S seconds"
    )
    _record(create, "with --follow: ")
    create.add_argument("--output-format", choices=[f.value for f in OutputFormat])
    create.add_argument("--think-mode", choices=[m.value for m in ThinkMode])
    create.add_argument("--agent-version", metavar="V", help="run this version of the agent")
    create.add_argument("--instructions", metavar="TEXT", help="override the agent's instructions")
    create.add_argument("--expected-output", metavar="TEXT", help="what the result should be")
    create.add_argument("--context", metavar="TEXT", help="additional context for the agent")
    create.add_argument("--source", help="where the task comes from (a label)")
    create.add_argument("--user-email", metavar="EMAIL", help="the user the task runs for")
    create.add_argument(
        "--idempotency-key",
        metavar="KEY",
        help="send the create with this key: sent again with the same key, it answers with "
        "the task the first one made (an error names the key it was sent with)",
    )

    listing = command("list", "list an agent's tasks")
    listing.add_argument("agent_id", metavar="AGENT_ID")
    listing.add_argument("--user-id", metavar="U", help="only this user's tasks")
    listing.add_argument("--status", choices=_STATUSES, help="only tasks in this status")
    listing.add_argument(
        "--limit", type=_count, metavar="N", help="the newest N tasks (all by default)"
    )
    listing.add_argument(
        "--oldest-first",
        action="store_true",
        help="list the oldest first (the default is newest first)",
    )

    get = command("get", "show a task")
    get.add_argument("task_id", metavar="TASK_ID")

    update = command("update", "change a task's status, result or internal status")
    update.add_argument("task_id", metavar="TASK_ID")
    update.add_argument("--status", choices=_STATUSES)
    update.add_argument("--result", metavar="R")
    update.add_argument("--internal-status", metavar="T", help="your own label for the task")

    stop = command("stop", "stop a task's run")
    stop.add_argument("task_id", metavar="TASK_ID")

    follow = command("follow", "show a task's events live until it ends (resumes after drops)")
    follow.add_argument("task_id", metavar="TASK_ID")
    _record(follow)

    wait = command("wait", "wait for a task to end, then show it")
    wait.add_argument("task_id", metavar="TASK_ID")
    wait.add_argument("--timeout", type=_seconds, metavar="S", help="give up after S seconds")

    activity = command("activity", "show a task's activity log (messages, tool calls)")
    activity.add_argument("task_id", metavar="TASK_ID")
    return parser
