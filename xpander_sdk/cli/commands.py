"""What each command does with the SDK, and how its outcome becomes an exit code.

Only the SDK's public API is used. Errors become one or two lines on stderr
naming the problem, never a traceback (see ``parser.EXIT_CODES``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from xpander_sdk import (
    AgentExecutionStatus,
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    Configuration,
    ConfigurationError,
    ModuleException,
    NotFoundError,
    PermissionDeniedError,
    Task,
    Tasks,
    TasksListItem,
    TaskWaitTimeout,
    ValidationError,
)

from .output import Follower, JsonOutput, Output, PlainOutput
from .parser import build_parser
from .record import Recorder

OK, FAILED, USAGE, INTERRUPTED = 0, 1, 2, 130
NO_KEY = "no API key: set XPANDER_API_KEY or pass --api-key"
# A task that does not stream events is polled, from this interval up to 5 s.
POLL_INTERVAL = 0.5

Handler = Callable[[Tasks, argparse.Namespace, Output], int]


def run(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, run the command, and answer its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)  # a usage error exits 2 here, with argparse's message
    if args.command == "create" and args.timeout is not None and not args.wait:
        parser.error("--timeout goes with --wait")
    if args.command == "create" and args.record is not None and not args.follow:
        parser.error("--record goes with --follow")
    try:
        configuration = Configuration(
            api_key=args.api_key, base_url=args.base_url, organization_id=args.organization_id
        )
    except (TypeError, ValueError) as exc:
        return fail(str(exc), USAGE)
    if not configuration.api_key:
        return fail(NO_KEY, USAGE)
    output = make_output(args.json)
    try:
        with Tasks(configuration=configuration) as tasks:
            return HANDLERS[args.command](tasks, args, output)
    except KeyboardInterrupt:
        return fail("interrupted", INTERRUPTED)
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return FAILED
    except ConfigurationError as exc:
        return fail(exc.description, USAGE)
    except ModuleException as exc:
        message = describe(exc, args, configuration)
        if exc.idempotency_key:  # a create: sent again with this key, it makes no second task
            message += f"\n  idempotency key {exc.idempotency_key}"
        return fail(message, FAILED)
    except (ValueError, TypeError) as exc:  # the SDK refused an argument, before any request
        return fail(str(exc), USAGE)
    except OSError as exc:  # the terminal or a file, not the API (that is an SDK error)
        return fail(f"{type(exc).__name__}: {exc}", FAILED)


def make_output(as_json: bool) -> Output:
    """JSON for ``--json``, the live view on a terminal, plain lines otherwise."""
    if as_json:
        return JsonOutput()
    if sys.stdout.isatty():
        # Loaded only for a terminal: plain and JSON output need none of rich.
        from .render import RichOutput

        return RichOutput()
    return PlainOutput()


def fail(message: str, code: int) -> int:
    print(f"xpander-tasks: {message}", file=sys.stderr)
    return code


def describe(exc: ModuleException, args: argparse.Namespace, configuration: Configuration) -> str:
    """An SDK error in words: what was refused, and the server's reason."""
    task_id = getattr(args, "task_id", None)
    status = exc.status_code
    if isinstance(exc, NotFoundError) and task_id:
        return f"task {task_id!r} not found"
    if isinstance(exc, AuthenticationError):
        return f"the API key was refused (401): {exc.description}"
    if isinstance(exc, PermissionDeniedError):
        return f"permission denied (403): {exc.description}"
    if isinstance(exc, ValidationError):
        fields = "; ".join(f"{e.get('field')}: {e.get('reason')}" for e in exc.errors)
        return f"the API refused the request (422): {exc.description}" + (
            f"\n  {fields}" if fields else ""
        )
    if isinstance(exc, TaskWaitTimeout):
        waited = getattr(args, "timeout", None)
        return f"task {task_id!r} did not finish" + (f" within {waited:g}s" if waited else "")
    if isinstance(exc, APIConnectionError):
        return f"could not reach {configuration.base_url}: {exc.description}"
    if isinstance(exc, APIStatusError):
        return f"the API answered {status}: {exc.description}"
    return exc.description or type(exc).__name__


def outcome(task: Task) -> int:
    """0 when the task ended completed, else 1."""
    return OK if task.status is AgentExecutionStatus.Completed else FAILED


# -- following and waiting --------------------------------------------------------


def follow(task: Task, output: Output, announce: str, recorder: Recorder | None = None) -> Task:
    """Show the task's events until it ends; the final task.

    A task that streams events is followed on its stream (resumed after drops
    by the SDK); one that does not is polled, and each change shown. Each event
    also goes to ``recorder``, when given.
    """
    final = task
    with output.follower(task, announce) as view:
        if task.events_streaming:
            for event in task.events():
                view.event(event)
                if recorder is not None:
                    recorder.add(event)
                if isinstance(event.data, Task):
                    final = event.data
        else:
            final = _poll(task, view)
        view.finish(final)
    return final


def follow_and_record(
    tasks: Tasks, task: Task, args: argparse.Namespace, output: Output, announce: str
) -> int:
    """``follow``, then with ``--record FILE`` write the run as an agent script there."""
    recorder = Recorder() if args.record else None
    final = follow(task, output, announce, recorder)
    if recorder is not None:
        recorder.write(args.record, final, tasks.configuration.base_url or "")
        print(f"xpander-tasks: recorded task {final.id} to {args.record}", file=sys.stderr)
    return outcome(final)


def _poll(task: Task, view: Follower) -> Task:
    delay = POLL_INTERVAL
    while not (task.status is not None and task.status.is_final):
        time.sleep(delay)
        delay = min(delay * 1.5, 5.0)
        before = task.status
        task.reload()
        if task.status != before:
            view.polled(task)
    return task


def wait(task: Task, timeout: float | None, output: Output) -> int:
    final = task.wait_for_completion(timeout=timeout)
    output.finished(final)
    return outcome(final)


# -- the commands -----------------------------------------------------------------


def cmd_create(tasks: Tasks, args: argparse.Namespace, output: Output) -> int:
    task = tasks.create(
        agent_id=args.agent_id,
        prompt=args.prompt,
        file_urls=args.file or None,
        title=args.title,
        events_streaming=args.events,
        output_format=args.output_format,
        think_mode=args.think_mode,
        agent_version=args.agent_version,
        instructions_override=args.instructions,
        expected_output=args.expected_output,
        additional_context=args.context,
        source=args.source,
        user_details={"email": args.user_email} if args.user_email else None,
        idempotency_key=args.idempotency_key,
    )
    if args.follow:
        return follow_and_record(tasks, task, args, output, "created")
    if args.wait:
        args.task_id = task.id  # for the error message of a timeout
        return wait(task, args.timeout, output)
    output.task(task)
    return OK


def newest_first(items: list[TasksListItem]) -> list[TasksListItem]:
    """``items`` by creation time, newest first; those without a time last.

    The API lists an agent's history oldest first; ties (tasks created within the
    same instant) keep the reverse of the API's order, which is the order of creation.
    """
    ordered = list(reversed(items))
    dated = [(i.created_at, i) for i in ordered if i.created_at is not None]
    dated.sort(key=lambda pair: pair[0], reverse=True)  # stable: ties keep their order
    return [i for _, i in dated] + [i for i in ordered if i.created_at is None]


def cmd_list(tasks: Tasks, args: argparse.Namespace, output: Output) -> int:
    filters = {"user_id": args.user_id, "status": args.status}
    items = newest_first(tasks.list(args.agent_id, filters=filters))
    if args.limit:
        items = items[: args.limit]  # the newest N
    if args.oldest_first:
        items.reverse()
    output.tasks(items, args.agent_id)
    return OK


def cmd_get(tasks: Tasks, args: argparse.Namespace, output: Output) -> int:
    output.task(tasks.get(args.task_id))
    return OK


def cmd_update(tasks: Tasks, args: argparse.Namespace, output: Output) -> int:
    if args.status is None and args.result is None and args.internal_status is None:
        return fail("nothing to update: give --status, --result or --internal-status", USAGE)
    # One PATCH of the fields given (Tasks.update has no internal_status; patch does).
    fields = {"status": args.status, "result": args.result, "internal_status": args.internal_status}
    task = tasks.patch(args.task_id, {k: v for k, v in fields.items() if v is not None})
    output.task(task)
    return OK


def cmd_stop(tasks: Tasks, args: argparse.Namespace, output: Output) -> int:
    output.task(tasks.stop(args.task_id))
    return OK


def cmd_follow(tasks: Tasks, args: argparse.Namespace, output: Output) -> int:
    return follow_and_record(tasks, tasks.get(args.task_id), args, output, "following")


def cmd_wait(tasks: Tasks, args: argparse.Namespace, output: Output) -> int:
    return wait(tasks.get(args.task_id), args.timeout, output)


def cmd_activity(tasks: Tasks, args: argparse.Namespace, output: Output) -> int:
    # The activity log is addressed by agent and task: the task says which agent.
    thread: dict[str, Any] = tasks.get(args.task_id).get_activity_log().to_dict()
    output.activity(thread)
    return OK


HANDLERS: dict[str, Handler] = {
    "create": cmd_create,
    "list": cmd_list,
    "get": cmd_get,
    "update": cmd_update,
    "stop": cmd_stop,
    "follow": cmd_follow,
    "wait": cmd_wait,
    "activity": cmd_activity,
}
