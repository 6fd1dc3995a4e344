"""The command line: ``python -m xpander_sdk.emulator`` starts, logs where, and serves."""

from __future__ import annotations

import re
import subprocess
import sys

import httpx


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
