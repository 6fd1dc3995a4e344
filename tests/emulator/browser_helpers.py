"""Driving Debian's chromium from the tests with Playwright, without a browser download.

``launch(playwright)`` starts ``/usr/bin/chromium`` headless with flags that work in a
container; ``require_browser()`` skips the calling test when the browser truly cannot run
here (and fails instead under ``CI=true``, where a skip would hide a missing install);
``ScriptErrors`` collects what a page reports as broken.
"""

from __future__ import annotations

import os
import re
import shutil
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Playwright

CHROMIUM = os.environ.get("XPANDER_CHROMIUM", "/usr/bin/chromium")

# Playwright's own launch() already gives each browser a fresh temporary --user-data-dir
# and runs it headless; these keep chromium quiet, offline and container-friendly.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def unavailable() -> str | None:
    """Why the browser test cannot run on this machine, or ``None`` when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing: pip install -e '.[test]'"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        found = shutil.which("chromium")
        hint = f" (a chromium is at {found}: set XPANDER_CHROMIUM)" if found else ""
        return (
            f"{CHROMIUM} is missing{hint}: `make browser` installs Debian's chromium "
            "with apt-get when run as root"
        )
    return None


def require_browser() -> None:
    """Skip (or, under CI=true, fail) unless Playwright and chromium are both here."""
    reason = unavailable()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"the web page's browser test must run in CI, but {reason}")
    pytest.skip(reason)


def launch(playwright: Playwright, resolve: dict[str, str] | None = None) -> Browser:
    """Chromium; ``resolve`` maps host names to addresses (as a rebinding DNS server would)."""
    rules = ", ".join(f"MAP {name} {address}" for name, address in (resolve or {}).items())
    args = [*CHROMIUM_ARGS, f"--host-resolver-rules={rules}"] if rules else CHROMIUM_ARGS
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=args, timeout=60_000
    )


class ScriptErrors:
    """Uncaught exceptions and console errors of one page.

    ``allow`` takes regular expressions of console errors a test expects (the browser logs
    every 401 answer as "Failed to load resource"); anything else is a script error.
    """

    def __init__(self, page: Page) -> None:
        self.messages: list[str] = []
        self.allowed: list[re.Pattern[str]] = []
        page.on("pageerror", self._on_page_error)
        page.on("console", self._on_console)

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def _on_page_error(self, error: Error) -> None:
        self.messages.append(f"uncaught: {error.message}")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not any(p.search(message.text) for p in self.allowed):
            self.messages.append(f"console.error: {message.text} ({message.location})")

    def assert_none(self) -> None:
        assert not self.messages, "the page reported script errors:\n" + "\n".join(self.messages)
