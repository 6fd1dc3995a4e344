"""A bare ``pip install .`` in a fresh virtual environment: the SDK alone, and the words
its two commands say when their extras are missing.

The commands live in the same package as the SDK, so the wheel installs both scripts
even without ``[cli]`` or ``[emulator]``; each must then say, in one line, what to install
(exit 2, no traceback), while ``import xpander_sdk`` works with the runtime
dependencies alone.

One test, one install: under pytest-xdist the tests of a module may run on different
workers, and each would build (in the same checkout) an environment of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def install_bare(where: Path) -> Path:
    """A fresh virtual environment at ``where`` with ``pip install .`` and nothing else.

    It gets no pip of its own (``ensurepip`` would cost more than the rest of the test):
    this environment's pip installs into it (``pip --python``), building the wheel in
    isolation as for any user.
    """
    venv.EnvBuilder(with_pip=False).create(where)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(where / "bin" / "python"), "install",
         "--quiet", "--disable-pip-version-check", str(ROOT)],
        check=True,
        env=_env(),
        timeout=600,
    )  # fmt: skip
    return where


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def _run(bare: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bare / "bin" / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
        cwd=bare,  # not the checkout: the installed package, not the sources
    )


@pytest.mark.slow
def test_a_bare_install_imports_alone_and_its_commands_name_their_extras(tmp_path: Path) -> None:
    bare = install_bare(tmp_path / "venv")

    # The SDK imports with its runtime dependencies alone.
    code = (
        "import importlib.util as u, xpander_sdk\n"
        "print(xpander_sdk.__version__, xpander_sdk.__file__)\n"
        "print([m for m in ('starlette', 'uvicorn', 'rich', 'aiohttp') if u.find_spec(m)])\n"
    )
    done = _run(bare, "python", "-c", code)
    assert done.returncode == 0, done.stderr
    version_line, extras_line = done.stdout.splitlines()
    assert str(bare) in version_line  # the installed copy answered
    assert extras_line == "[]"  # a bare install brings none of the extras

    # Each command without its extra says what to install, in one line.
    for script, extra in (("xpander-tasks", "cli"), ("xpander-emulator", "emulator")):
        done = _run(bare, script, "--help")
        assert done.returncode == 2, script
        assert done.stdout == "", script
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert f"pip install 'xpander-sdk[{extra}]'" in lines[0]
        assert "Traceback" not in done.stderr
