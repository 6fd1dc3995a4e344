"""How ``xpander-tasks`` starts and ends: the console script and ``python -m xpander_sdk`` as
real processes (Ctrl-C through the latter), the one-line hint without the ``cli`` extra, and
``import xpander_sdk`` staying lean."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from xpander_sdk.emulator import EmulatorServer

from .conftest import CLI, clean_env, run_against, run_cli


def test_without_rich_one_line_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rich", None)  # as if the extra were missing
    for args in (["list", "agent"], ["--help"], []):
        done = run_cli(*args, env={"XPANDER_API_KEY": "k"})
        assert done.code == 2, args
        assert done.out == ""
        assert done.err.count("\n") == 1
        assert "pip install 'xpander-sdk[cli]'" in done.err


def test_console_script_runs(emulator: EmulatorServer) -> None:
    script = shutil.which("xpander-tasks", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the xpander-tasks script is not installed in this environment")
    done = subprocess.run(
        [script, "list", "agent-script", "--json"],
        capture_output=True,
        text=True,
        env=clean_env(**emulator.env()),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_import_xpander_sdk_does_not_load_the_cli() -> None:
    code = "import sys, xpander_sdk; print([m for m in sys.modules if 'sdk.cli' in m])"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def test_ctrl_c_during_follow_leaves_cleanly(slow_emulator: EmulatorServer) -> None:
    created = run_against(slow_emulator, "create", "agent-int", "think", "--json").json()
    process = subprocess.Popen(
        [*CLI, "follow", created["id"]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(**slow_emulator.env()),
    )
    assert process.stdout is not None
    try:
        # The task is executing and has said its first word: the follow is waiting for more.
        seen = b""
        while b"thinking" not in seen:
            more = os.read(process.stdout.fileno(), 4096)  # unbuffered: nothing read ahead
            assert more, f"the follow ended early: {seen!r}"
            seen += more
        assert seen.startswith(f"following task {created['id']}".encode())
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert err == b"xpander-tasks: interrupted\n"
    assert (seen + out).endswith(b"thinking\n"), seen + out  # the streamed line is ended
