"""`make compat`, last step (this project's venv): read back what the published SDK created
and reported, and check every value arrived intact.

    python scripts/compat/read_back.py CREATED.json

``CREATED.json`` is what ``examples/published_sdk_check.py`` wrote. The task is read with
the generated client (the wire, which must hold every value) and with this project's
facade (``Tasks().get``), and the metrics through the emulator's ``GET /_emulator/metrics``.
Each value that is missing or different is printed; any makes the exit status 1.
Connection settings come from ``XPANDER_BASE_URL`` / ``XPANDER_API_KEY``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import httpx
from xpander_api_client import AuthenticatedClient
from xpander_api_client.api.tasks import get_task
from xpander_api_client.models import Task as WireTask

from xpander_sdk import Configuration, Tasks


def _plain(value: Any) -> Any:
    """Enum members as their values, so wire and facade values compare with the JSON."""
    return getattr(value, "value", value)


def check_wire(task_id: str, created: dict[str, Any], base_url: str, key: str) -> list[str]:
    client = AuthenticatedClient(
        base_url=base_url, token=key, prefix="", auth_header_name="x-api-key"
    )
    with client:
        task = get_task.sync(task_id, client=client)
    if not isinstance(task, WireTask):
        return [f"wire: GET task answered {task!r}"]
    wire = task.to_dict()
    problems = [
        f"wire: Task.{name} is {wire.get(name)!r}, sent {want!r}"
        for name, want in created["expected"].items()
        if wire.get(name) != want
    ]
    given = created["expected_input"]
    answer_input = wire["input"]
    if answer_input.get("principal") != given["principal"]:
        problems.append(f"wire: input.principal is {answer_input.get('principal')!r}")
    attachments = answer_input.get("attachments") or []
    sent = given["attachment"]
    if len(attachments) != 1 or {k: attachments[0].get(k) for k in sent} != sent:
        problems.append(f"wire: input.attachments is {attachments!r}")
    if wire.get("background_auth_eligible") is not False:
        problems.append("wire: background_auth_eligible is not false")
    return problems


def check_facade(task_id: str, created: dict[str, Any]) -> list[str]:
    with Tasks(configuration=Configuration()) as tasks:
        task = tasks.get(task_id)
    problems = []
    for name, want in created["expected"].items():
        if not hasattr(task, name):
            problems.append(f"facade: Task has no attribute {name} (sent {want!r})")
        elif _plain(getattr(task, name)) != want:
            problems.append(f"facade: Task.{name} is {getattr(task, name)!r}, sent {want!r}")
    for name in ("principal", "attachments"):
        if getattr(task.input, name, None) in (None, []):
            problems.append(f"facade: Task.input.{name} is missing")
    return problems


def check_metrics(task_id: str, created: dict[str, Any], base_url: str, key: str) -> list[str]:
    response = httpx.get(
        f"{base_url}/_emulator/metrics", params={"task_id": task_id}, headers={"x-api-key": key}
    )
    if response.status_code != 200:
        return [f"metrics: GET /_emulator/metrics answered {response.status_code}"]
    reports = [m["report"] for m in response.json()["metrics"]]
    if len(reports) != 1:
        return [f"metrics: {len(reports)} reports kept for the task, expected 1"]
    report = reports[0]
    worker = (report.get("llm_tokens") or {}).get("worker") or {}
    problems = []
    expected = {
        "execution_id": task_id,
        "memory_thread_id": task_id,
        "task": created["expected_input"]["text"],
        "source": created["expected"]["source"],
    }
    for name, want in expected.items():
        if report.get(name) != want:
            problems.append(f"metrics: {name} is {report.get(name)!r}, expected {want!r}")
    for name, want in created["tokens"].items():
        if worker.get(name) != want:
            problems.append(f"metrics: llm_tokens.worker.{name} is {worker.get(name)!r}")
    return problems


def main(argv: list[str]) -> int:
    created = json.loads(Path(argv[0]).read_text())
    task_id = created["task_id"]
    base_url = os.environ["XPANDER_BASE_URL"].rstrip("/")
    key = os.environ["XPANDER_API_KEY"]
    checks = {
        "wire (generated client)": check_wire(task_id, created, base_url, key),
        "facade (xpander_sdk.Tasks)": check_facade(task_id, created),
        "metrics (emulator control API)": check_metrics(task_id, created, base_url, key),
    }
    failed = 0
    print(f"Read back task {task_id}, created by the published SDK with every newer argument:")
    for what, problems in checks.items():
        print(f"  {what}: {'ok' if not problems else f'{len(problems)} problem(s)'}")
        for problem in problems:
            print(f"    FAIL  {problem}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
