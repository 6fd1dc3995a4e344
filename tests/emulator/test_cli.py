"""The command line: ``python -m xpander_sdk.emulator`` starts, logs where, serves, exports
its state on exit and imports one at start, and explains a missing extra."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from xpander_sdk.emulator import EmulatorConfig
from xpander_sdk.emulator.config import option_flag
from xpander_sdk.emulator.state import write_atomically


def test_cli_starts_logs_one_line_and_serves() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "xpander_sdk.emulator",
            "--port",
            "0",
            "--api-key",
            "s3cret",
            "--organization-id",
            "org-cli",
            "--step-delay",
            "0.01",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        match = re.fullmatch(
            r"xpander-emulator listening on (http://127\.0\.0\.1:\d+) \(organization org-cli\)\n",
            line,
        )
        assert match, line
        base = match.group(1)
        created = httpx.post(
            f"{base}/agent-execution/a",
            json={"input": {"text": "hi"}},
            headers={"x-api-key": "s3cret"},
            timeout=10,
        )
        assert created.status_code == 200
        assert created.json()["organization_id"] == "org-cli"
    finally:
        process.terminate()
        _, rest = process.communicate(timeout=10)
    assert "s3cret" not in line + rest
    assert process.returncode in (0, -15)


def test_cli_rejects_a_bad_agent() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "xpander_sdk.emulator", "--port", "0", "--agent", "nocolon"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode != 0
    assert "module:function" in done.stderr


def start(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "xpander_sdk.emulator", "--port", "0", "--api-key", "k",
         "--step-delay", "0.01", *args],
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


def test_cli_prints_the_web_page_address() -> None:
    process, base = start()
    try:
        assert process.stderr is not None
        assert process.stderr.readline() == f"web page: {base}/_emulator/ui\n"
        page = httpx.get(f"{base}/_emulator/ui", timeout=10)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    finally:
        process.terminate()
        process.communicate(timeout=10)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_export_on_exit_by_signal_then_import(tmp_path: Path, stop: signal.Signals) -> None:
    saved = tmp_path / "state.json"
    saved.write_text("the previous export")
    process, base = start("--export-on-exit", str(saved))
    key = {"x-api-key": "k", "Idempotency-Key": "one"}
    try:
        task = httpx.post(
            f"{base}/agent-execution/a", json={"input": {"text": "keep me"}}, headers=key
        ).json()
        with httpx.stream(
            "GET", f"{base}/local-org/agent-execution/{task['id']}/events", headers=key
        ) as response:
            for _ in response.iter_lines():
                pass  # to task_finished
        assert saved.read_text() == "the previous export"  # written on exit only
    finally:
        process.send_signal(stop)
        process.communicate(timeout=15)
    assert process.returncode in (0, -stop)
    doc = json.loads(saved.read_text())
    assert doc["version"] == 1
    assert [t["task"]["id"] for t in doc["tasks"]] == [task["id"]]
    assert doc["tasks"][0]["task"]["status"] == "completed"
    assert [k["key"] for k in doc["idempotency_keys"]] == ["one"]
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temporary file left

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
    done = subprocess.run(
        [sys.executable, "-m", "xpander_sdk.emulator", "--port", "0", "--import", str(bad)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode != 0
    assert "body.tasks[0].task.id" in done.stderr
    assert "Traceback" not in done.stderr


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
    done = subprocess.run(
        [sys.executable, "-m", "xpander_sdk.emulator", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    for field in dataclasses.fields(EmulatorConfig):
        assert option_flag(field) in done.stdout, field.name
    assert "--import PATH" in done.stdout and "--allowed-host NAME" in done.stdout
    for option, complaint in (
        (["--journal-size", "-1"], "journal_size must be >= 0"),
        (["--clock", "sundial"], "--clock: invalid choice: 'sundial'"),
    ):
        bad = subprocess.run(
            [sys.executable, "-m", "xpander_sdk.emulator", *option],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert bad.returncode == 2
        assert complaint in bad.stderr


def test_log_level_info_logs_each_request_with_its_id() -> None:
    process, base = start("--log-level", "info")
    try:
        answer = httpx.get(
            f"{base}/agent-execution/nope/status",
            headers={"x-api-key": "k", "x-request-id": "from-the-client"},
            timeout=10,
        )
        assert answer.status_code == 404
    finally:
        process.terminate()
        _, rest = process.communicate(timeout=10)
    request_id = answer.headers["x-request-id"]
    assert request_id != "from-the-client"
    lines = [line for line in rest.splitlines() if request_id in line]
    assert len(lines) == 1, rest
    assert "GET /agent-execution/nope/status -> 404" in lines[0]
    assert "client_request_id='from-the-client'" in lines[0]
    assert "x-api-key" not in rest and ": k" not in rest


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
