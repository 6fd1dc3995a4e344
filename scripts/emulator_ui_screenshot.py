"""Draw docs/emulator-ui.png: the emulator's web page with a few tasks, and one task's page.

Run it with the project's environment (``.venv/bin/python scripts/emulator_ui_screenshot.py
[OUT.png] [--dark]``); it starts its own emulator on loopback and drives Debian's chromium
the way the browser test does (``make browser`` installs it).
"""

from __future__ import annotations

import base64
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "emulator"))  # the browser test's launch settings
from browser_helpers import launch  # noqa: E402

from xpander_sdk.emulator import EmulatorServer  # noqa: E402

VIEWPORT = {"width": 1200, "height": 400}  # each picture is as tall as its page
HOLD = threading.Event()
TASKS = [
    ("support-bot", "Summarise yesterday's open tickets by product area"),
    ("research-agent", "Find three recent papers on retrieval-augmented generation"),
    ("billing-agent", "Issue the refund for invoice 2291"),
    ("support-bot", "Draft a friendly reply to order #4411 about the late delivery"),
    ("triage-agent", "Label the new GitHub issues and hold for review"),
]
ANSWER = (
    "Yesterday 14 tickets stayed open. Checkout (6): two card declines and four "
    "address-validation errors since Tuesday's release. Mobile app (5): login loops on "
    "Android 15. Reporting (3): CSV exports time out above 50k rows. Suggested next step: "
    "roll back the address validator and page the mobile team."
)


def agent(task_input: dict[str, Any]) -> Iterator[str]:
    text = task_input["text"]
    if "refund" in text:
        raise RuntimeError("the payment provider answered 503")
    if "hold" in text:
        yield "Fetching the 7 issues opened since Monday…"
        HOLD.wait(60)
        return
    for word in (ANSWER if "Summarise" in text else f"Done: {text}.").split(" "):
        time.sleep(0.03)
        yield word + " "


def shoot(page: Page, url: str, ready: str) -> bytes:
    page.goto(url)
    page.wait_for_selector(ready)
    page.mouse.move(0, 0)
    page.wait_for_timeout(400)  # let the fresh-row highlight fade
    return page.screenshot(full_page=True)


def main() -> None:
    out = Path(next((a for a in sys.argv[1:] if not a.startswith("--")), "docs/emulator-ui.png"))
    scheme = "dark" if "--dark" in sys.argv else "light"
    server = EmulatorServer(step_delay=0.3, agent=agent, faults=True)
    with server, sync_playwright() as pw:
        client = httpx.Client(base_url=server.base_url, headers={"x-api-key": "k"})
        ids = []
        for agent_id, text in TASKS:
            task = client.post(f"/agent-execution/{agent_id}", json={"input": {"text": text}})
            ids.append(task.json()["id"])
            time.sleep(0.4)
        client.delete(f"/agent-execution/{ids[1]}")
        time.sleep(3)
        browser = launch(pw)
        page = browser.new_page(viewport=VIEWPORT, color_scheme=scheme)
        ui = f"{server.base_url}/_emulator/ui"
        tasks = shoot(page, ui, "table.tasks-table tbody tr:nth-child(5)")
        task = shoot(page, f"{ui}#/task/{ids[0]}", '[data-type="task_finished"]')
        HOLD.set()
        pictures = "".join(
            f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}">'
            for png in (tasks, task)
        )
        page.set_viewport_size({"width": VIEWPORT["width"] + 48, "height": 400})
        page.set_content(
            "<style>body{margin:0;padding:24px;background:#cfd4dc;display:flex;"
            "flex-direction:column;gap:24px}img{display:block;border-radius:10px;"
            "box-shadow:0 4px 18px rgba(0,0,0,.18)}</style>" + pictures
        )
        page.screenshot(path=str(out), full_page=True)
        browser.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
