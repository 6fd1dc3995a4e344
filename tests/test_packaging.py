"""A bare ``pip install .`` in a fresh virtual environment: the SDK alone, and the words
its two commands say when their extras are missing.

The commands live in the same package as the SDK, so the wheel installs both scripts
even without ``[cli]`` or ``[emulator]``; each must then say, in one line, what to install
(exit 2, no traceback), while ``import xpander_sdk`` works with the runtime
dependencies alone.
"""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with ``pip install .`` and nothing else."""
    where = tmp_path_factory.mktemp("bare") / "venv"
    venv.EnvBuilder(with_pip=True).create(where)
    python = where / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(ROOT)],
        check=True,
        env=env,
        timeout=600,
    )
    return where


def _run(bare: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(bare / "bin" / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=bare,  # not the checkout: the installed package, not the sources
    )


def test_the_sdk_imports_with_its_runtime_dependencies_alone(bare: Path) -> None:
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


@pytest.mark.parametrize(
    ("script", "extra"), [("xpander-tasks", "cli"), ("xpander-emulator", "emulator")]
)
def test_a_command_without_its_extra_says_what_to_install_in_one_line(
    bare: Path, script: str, extra: str
) -> None:
    done = _run(bare, script, "--help")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"pip install 'xpander-sdk[{extra}]'" in lines[0]
    assert "Traceback" not in done.stderr
