"""The command line: ``xpander-emulator`` starts, logs where, serves, exports its state on exit
and imports one at start, and explains a missing extra.

What a signal or a listening socket shows runs the command as a real process (the console
script); a command that ends before serving (a bad option, ``--help``) runs in this process.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from xpander_sdk.emulator import EmulatorConfig, EmulatorServer
from xpander_sdk.emulator.__main__ import main
from xpander_sdk.emulator.config import option_flag
from xpander_sdk.emulator.state import write_atomically


def emulator_command() -> list[str]:
    """The ``xpander-emulator`` console script of this environment."""
    script = shutil.which("xpander-emulator", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the xpander-emulator script is not installed in this environment")
    return [script]


def run_main(*args: str) -> tuple[int, str, str]:
    """``xpander-emulator ARGS`` in this process, for a command that ends before it serves:
    its exit code, stdout and stderr (a message ``sys.exit`` is given goes to stderr, as the
    interpreter prints it)."""
    out, err = io.StringIO(), io.StringIO()
    requests_log = logging.getLogger("xpander_sdk.emulator.requests")
    level = requests_log.level  # main sets it from --log-level
    try:
        with redirect_stdout(out), redirect_stderr(err):
            main(list(args))
        code = 0
    except SystemExit as stop:
        if isinstance(stop.code, str):
            print(stop.code, file=err)
            code = 1
        else:
            code = stop.code or 0
    finally:
        requests_log.setLevel(level)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.slow
def test_cli_says_where_it_listens_serves_and_logs_each_request_with_its_id() -> None:
    process = subprocess.Popen(
        [*emulator_command(), "--port", "0", "--api-key", "s3cret", "--organization-id",
         "org-cli", "--step-delay", "0.01", "--log-level", "info"],
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        match = re.fullmatch(
            r"xpander-emulator listening on (http://127\.0\.0\.1:\d+) \(organization org-cli\)\n",
            line,
        )
        assert match, line
        base = match.group(1)
        assert process.stderr.readline() == f"web page: {base}/_emulator/ui\n"
        page = httpx.get(f"{base}/_emulator/ui", timeout=10)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        created = httpx.post(
            f"{base}/agent-execution/a",
            json={"input": {"text": "hi"}},
            headers={"x-api-key": "s3cret"},
            timeout=10,
        )
        assert created.status_code == 200
        assert created.json()["organization_id"] == "org-cli"
        answer = httpx.get(
            f"{base}/agent-execution/nope/status",
            headers={"x-api-key": "s3cret", "x-request-id": "from-the-client"},
            timeout=10,
        )
        assert answer.status_code == 404
    finally:
        process.terminate()
        _, rest = process.communicate(timeout=10)
    assert process.returncode in (0, -15)
    assert "s3cret" not in line + rest and "x-api-key" not in rest
    # --log-level info: one line per request, with the id the emulator answered with
    request_id = answer.headers["x-request-id"]
    assert request_id != "from-the-client"
    lines = [line for line in rest.splitlines() if request_id in line]
    assert len(lines) == 1, rest
    assert "GET /agent-execution/nope/status -> 404" in lines[0]
    assert "client_request_id='from-the-client'" in lines[0]


def test_cli_rejects_a_bad_agent() -> None:
    code, _, err = run_main("--port", "0", "--agent", "nocolon")
    assert code != 0
    assert "module:function" in err


def start(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [*emulator_command(), "--port", "0", "--api-key", "k", "--step-delay", "0.01", *args],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )  # fmt: skip
    assert process.stderr is not None
    line = process.stderr.readline()
    match = re.search(r"listening on (http://\S+)", line)
    assert match, line + (process.stderr.read() if process.poll() is not None else "")
    # Serving (signal handlers installed) once it answers; the line comes just before.
    httpx.get(f"{match.group(1)}/_emulator/info", headers={"x-api-key": "k"}, timeout=10)
    return process, match.group(1)


def follow_to_the_end(base: str, task_id: str, headers: dict[str, str]) -> None:
    """Read a task's event stream to its end: the task has finished."""
    url = f"{base}/local-org/agent-execution/{task_id}/events"
    with httpx.stream("GET", url, headers=headers) as response:
        for _ in response.iter_lines():
            pass  # to task_finished


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_export_on_exit_by_signal(tmp_path: Path, stop: signal.Signals) -> None:
    saved = tmp_path / "state.json"
    saved.write_text("the previous export")
    process, base = start("--export-on-exit", str(saved))
    key = {"x-api-key": "k", "Idempotency-Key": "one"}
    try:
        task = httpx.post(
            f"{base}/agent-execution/a", json={"input": {"text": "keep me"}}, headers=key
        ).json()
        follow_to_the_end(base, task["id"], key)
        assert saved.read_text() == "the previous export"  # written on exit only
        state = httpx.get(f"{base}/_emulator/state", headers=key).json()
    finally:
        process.send_signal(stop)
        process.communicate(timeout=15)
    assert process.returncode in (0, -stop)
    doc = json.loads(saved.read_text())
    assert doc == state  # the state document, as GET /_emulator/state gives it
    assert doc["version"] == 1
    assert [t["task"]["id"] for t in doc["tasks"]] == [task["id"]]
    assert doc["tasks"][0]["task"]["status"] == "completed"
    assert [k["key"] for k in doc["idempotency_keys"]] == ["one"]
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temporary file left


@pytest.mark.slow
def test_import_at_start_brings_back_tasks_and_idempotency_keys(
    tmp_path: Path, emulator_factory: Callable[..., EmulatorServer]
) -> None:
    key = {"x-api-key": "k", "Idempotency-Key": "one"}
    before = emulator_factory(api_key="k")
    task = httpx.post(
        f"{before.base_url}/agent-execution/a", json={"input": {"text": "keep me"}}, headers=key
    ).json()
    follow_to_the_end(before.base_url, task["id"], key)
    saved = tmp_path / "state.json"
    saved.write_text(json.dumps(before.export_state()))
    doc = json.loads(saved.read_text())

    process, base = start("--import", str(saved))
    try:
        got = httpx.get(f"{base}/agent-execution/{task['id']}/status", headers=key).json()
        assert got["input"]["text"] == "keep me" and got["status"] == "completed"
        replay = httpx.post(
            f"{base}/agent-execution/a", json={"input": {"text": "keep me"}}, headers=key
        )
        assert replay.json()["id"] == task["id"]
        assert httpx.get(f"{base}/_emulator/state", headers=key).json() == doc
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_a_failed_export_keeps_the_previous_file(tmp_path: Path) -> None:
    saved = tmp_path / "state.json"
    saved.write_text('{"previous": true}')

    class Unwritable:
        def __str__(self) -> str:
            raise OSError("disk full")

    with pytest.raises(TypeError):
        write_atomically(saved, Unwritable())  # type: ignore[arg-type]
    assert saved.read_text() == '{"previous": true}'
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]
    write_atomically(saved, '{"new": true}')
    assert json.loads(saved.read_text()) == {"new": True}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


@pytest.mark.slow
def test_export_on_exit_to_a_missing_folder_says_so(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "state.json"
    process, _ = start("--export-on-exit", str(target))
    process.send_signal(signal.SIGTERM)
    _, rest = process.communicate(timeout=15)
    assert "could not write the state" in rest
    assert not target.parent.exists()


def test_import_of_a_bad_document_stops_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"version": 1, "tasks": [{"task": {"id": ""}}]}))
    code, _, err = run_main("--port", "0", "--import", str(bad))
    assert code != 0
    assert "body.tasks[0].task.id" in err
    assert "Traceback" not in err


def test_without_the_emulator_extra_one_line_and_exit_2(tmp_path: Path) -> None:
    # A starlette that cannot be imported, ahead of the real one on the path.
    fake = tmp_path / "starlette"
    fake.mkdir()
    (fake / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'starlette'\", name='starlette')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    for command in (
        [sys.executable, "-m", "xpander_sdk.emulator", "--port", "0"],
        [sys.executable, "-c", "from xpander_sdk.emulator.__main__ import main; main()"],
    ):
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, env=env)
        assert done.returncode == 2, done.stderr
        assert done.stderr.count("\n") == 1, done.stderr
        assert "pip install 'xpander-sdk[emulator]'" in done.stderr
        assert "Traceback" not in done.stderr


def test_options_come_from_the_config_fields() -> None:
    code, out, _ = run_main("--help")
    assert code == 0
    for field in dataclasses.fields(EmulatorConfig):
        assert option_flag(field) in out, field.name
    assert "--import PATH" in out and "--allowed-host NAME" in out
    for option, complaint in (
        (["--journal-size", "-1"], "journal_size must be >= 0"),
        (["--clock", "sundial"], "--clock: invalid choice: 'sundial'"),
    ):
        code, _, err = run_main(*option)
        assert code == 2
        assert complaint in err


@pytest.mark.slow
def test_the_clock_option() -> None:
    process, base = start("--clock", "manual")
    try:
        headers = {"x-api-key": "k"}
        clock = httpx.get(f"{base}/_emulator/clock", headers=headers, timeout=10).json()
        assert clock["mode"] == "manual"
        moved = httpx.post(
            f"{base}/_emulator/clock/advance", json={"seconds": 60}, headers=headers, timeout=10
        ).json()
        assert moved["mode"] == "manual"
        assert datetime.fromisoformat(moved["now"]) - datetime.fromisoformat(
            clock["now"]
        ) == timedelta(minutes=1)
    finally:
        process.terminate()
        process.communicate(timeout=10)
