"""``XPANDER_LOG=debug|info``: request logs on stderr with no code, run as real subprocesses.

Each test runs a small program against the emulator with the variable set,
and reads its stderr: the lines it must hold, the ones it must not, and never
the API key.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest

from .control import inject, sends_request_ids

PROGRAM = """
from xpander_sdk import NotFoundError, Tasks

with Tasks() as tasks:                       # XPANDER_API_KEY and XPANDER_BASE_URL
    task = tasks.create(agent_id="agent-log", prompt="p", user_oidc_token="eyJ-OIDC-9b9b")
    tasks.get(task.id)
    try:
        tasks.get("no-such-task")
    except NotFoundError:
        pass
    print(task.id)
"""
OIDC = "eyJ-OIDC-9b9b"


def _run(
    emulator: Any, log: str | None, program: str = PROGRAM
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XPANDER_", "IS_STG"))}
    env.update(XPANDER_API_KEY=emulator.api_key, XPANDER_BASE_URL=emulator.base_url)
    if log is not None:
        env["XPANDER_LOG"] = log
    return subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=60
    )


def test_debug_logs_every_attempt_to_stderr(emulator: Any) -> None:
    run = _run(emulator, "debug")
    assert run.returncode == 0, run.stderr
    task_id = run.stdout.strip()
    lines = run.stderr.splitlines()
    attempt = r"\(attempt 1, \d+\.\d ms(, request id \S+)?\)$"
    assert any(re.search(rf"xpander_sdk DEBUG\] POST /\S+ -> 200 {attempt}", li) for li in lines)
    get = rf"DEBUG\] GET /agent-execution/{task_id}/status -> 200 {attempt}"
    assert any(re.search(get, li) for li in lines), run.stderr
    missing = rf"INFO\] GET /agent-execution/no-such-task/status -> 404 {attempt}"
    assert any(re.search(missing, li) for li in lines), run.stderr
    if sends_request_ids(emulator):
        assert all("request id" in li for li in lines if " -> " in li)
    assert emulator.api_key not in run.stderr and OIDC not in run.stderr


def test_info_logs_retries_and_failures_only(emulator: Any) -> None:
    inject(emulator, kind="status", status=503, retry_after="0", count=1, method="GET")
    run = _run(emulator, "info")
    assert run.returncode == 0, run.stderr
    task_id = run.stdout.strip()
    lines = run.stderr.splitlines()
    retry = rf"INFO\] retrying GET /agent-execution/{task_id}/status after status 503 \(attempt 1"
    assert [li for li in lines if re.search(retry, li)], run.stderr
    assert any("-> 404 (attempt 1" in li for li in lines)
    assert not [li for li in lines if "DEBUG" in li or "-> 200" in li]
    assert emulator.api_key not in run.stderr and OIDC not in run.stderr


def test_without_the_switch_nothing_is_written(emulator: Any) -> None:
    run = _run(emulator, None)
    assert run.returncode == 0 and run.stderr == ""


def test_an_unknown_value_is_named_and_ignored(emulator: Any) -> None:
    run = _run(emulator, "verbose")
    assert run.returncode == 0
    assert run.stderr.strip() == "XPANDER_LOG='verbose' ignored: use 'debug' or 'info'"


@pytest.mark.parametrize("own_handler", [False, True])
def test_the_switch_adds_one_handler_and_keeps_a_program_s_own(
    emulator: Any, own_handler: bool
) -> None:
    program = f"""
import logging
logger = logging.getLogger("xpander_sdk")
if {own_handler}:
    logger.addHandler(logging.NullHandler())
import xpander_sdk
from xpander_sdk._logging import configure_from_env
configure_from_env()  # a second time: nothing more
print(len(logger.handlers), type(logger.handlers[0]).__name__, logger.level)
"""
    run = _run(emulator, "debug", program)
    assert run.returncode == 0, run.stderr
    kind = "NullHandler" if own_handler else "StreamHandler"
    assert run.stdout.split() == ["1", kind, "10"]
