"""What ``import xpander_sdk`` may load, and that every public name still arrives on first use.

Each probe runs in a fresh interpreter and compares ``sys.modules`` with one that imported
only httpx (the SDK's own transport, which it cannot do without): what the SDK adds must be
exactly the modules listed here. A change that makes the import load more fails with the
names it added; if that is intended, add them here and say why.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable

import httpx
import pytest

import xpander_sdk
from xpander_sdk.emulator import EmulatorServer

IMPORT_MAY_LOAD = {
    "xpander_sdk",
    "xpander_sdk._logging",  # XPANDER_LOG is read at import
    "xpander_sdk._owner",  # the default owner of Task.load, registered at import
    "xpander_sdk._version",
}


def _clean_env() -> dict[str, str]:
    """This environment without XPANDER_* (XPANDER_LOG would load more at import)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("XPANDER_")}


def modules_after(code: str) -> set[str]:
    """The names in ``sys.modules`` after ``code`` runs in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env=_clean_env(),
    )
    return set(json.loads(done.stdout))


def test_import_xpander_sdk_loads_only_the_listed_modules() -> None:
    baseline = modules_after("import httpx")
    added = modules_after("import xpander_sdk") - baseline
    assert added == IMPORT_MAY_LOAD, (
        f"import xpander_sdk also loads {sorted(added - IMPORT_MAY_LOAD)}"
        f" and no longer {sorted(IMPORT_MAY_LOAD - added)}"
    )


def test_the_generated_models_load_when_first_used() -> None:
    loaded = modules_after(
        "from xpander_sdk import AgentExecutionStatus\n"
        "import xpander_api_client.models as gen\n"
        "assert 'Task' in dir(gen) and 'Task' in gen.__all__"
    )
    models = {m for m in loaded if m.startswith("xpander_api_client.models.")}
    assert models == {"xpander_api_client.models.agent_execution_status"}


@pytest.mark.parametrize("name", xpander_sdk.__all__)
def test_every_public_name_imports(name: str) -> None:
    value = getattr(xpander_sdk, name)
    if name != "__version__":
        home = sys.modules[value.__module__]
        assert getattr(home, name) is value or name in getattr(home, "__all__", ())
    assert name in dir(xpander_sdk)


def test_star_import_and_unknown_names() -> None:
    namespace: dict[str, object] = {}
    exec("from xpander_sdk import *", namespace)
    assert set(xpander_sdk.__all__) <= set(namespace)
    assert namespace["Tasks"] is xpander_sdk.Tasks
    with pytest.raises(AttributeError, match="no attribute 'Taks'"):
        _ = xpander_sdk.Taks  # type: ignore[attr-defined]
    with pytest.raises(ImportError):
        exec("from xpander_sdk import Taks", {})
    import xpander_api_client.models as gen

    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = gen.Nope  # type: ignore[attr-defined]


def test_task_load_works_before_anything_loaded_tasks(
    emulator_factory: Callable[..., EmulatorServer],
) -> None:
    # The class-level entry points find their default client even when the program never
    # touched Tasks: the package registers a factory that loads it then.
    server = emulator_factory(step_delay=0)
    with httpx.Client(base_url=server.base_url, headers={"x-api-key": server.api_key}) as api:
        task_id = api.post("/agent-execution/a1", json={"input": {"text": "x"}}).json()["id"]
    code = (
        "import sys\n"
        "from xpander_sdk.task import Task\n"
        "assert 'xpander_sdk.tasks' not in sys.modules\n"
        f"print(Task.load({task_id!r}).id)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**_clean_env(), **server.env()},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == task_id
