"""The real app in a real browser.

``live_app`` starts the product with the commands of ``make run``: ``incubator database upgrade`` and
``incubator demo load`` (run in this process, which has the app imported already), then ``incubator
run`` (granian, a process of its own) on a free port. The database is a fresh one of its own: a
SQLite file, or a new PostgreSQL database when ``INCUBATOR_TEST_DATABASE_URL`` names a server. ``browser`` is
Debian's headless ``chromium`` driven by Playwright (Playwright's own browser download is not used).
Both start once for all the browser tests and stop when they are done.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from litestar.cli.main import litestar_group
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from incubator import clock
from incubator.demo.city import AS_OF
from tests.browser.helpers import DESKTOP, PHONE, LiveApp, shoot
from tests.db import fresh_database

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STEP_TIMEOUT_MS = 10_000


def _incubator(*args: str, env: dict[str, str | None]) -> str:
    """Run an ``incubator`` command in this process; its output. ``None`` in ``env`` unsets a variable."""
    result = CliRunner().invoke(litestar_group, ["--app", "incubator.app:create_app", *args], env=env)
    if result.exit_code != 0:
        pytest.fail(f"`incubator {' '.join(args)}` failed ({result.exit_code}):\n{result.output}\n{result.exception!r}")
    return result.output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_health(base_url: str, server: subprocess.Popen[bytes], log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"`incubator run` exited with {server.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/health", timeout=2) as response:  # noqa: S310 - our own server
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"`incubator run` did not answer /health within {timeout:.0f} s:\n{log.read_text()[-4000:]}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and its granian workers: they share the process group it leads."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


@pytest.fixture(scope="package")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    folder = tmp_path_factory.mktemp("live")
    with fresh_database(folder) as database_url:
        settings = {
            "INCUBATOR_DATABASE_URL": database_url,
            "INCUBATOR_ENVIRONMENT": "test",
            "INCUBATOR_DEMO_MODE": "true",
            "INCUBATOR_SECRET_KEY": "browser-tests-secret-key-0123456789-abcdef",
            # The journeys log in many times from one address within a minute.
            "INCUBATOR_LOGIN_ATTEMPTS_PER_MINUTE": "1000",
            # The demo city's calendar (January 2018), here and in the server: "today" fits its history.
            "INCUBATOR_DEMO_TODAY": AS_OF.isoformat(),
        }
        # These settings only: none of the caller's INCUBATOR_*, LITESTAR_* or GRANIAN_* variables.
        foreign = ("INCUBATOR_", "LITESTAR_", "GRANIAN_")
        port = _free_port()
        command = [str(Path(sys.executable).with_name("incubator")), "run", "--host", "127.0.0.1", "--port", str(port)]
        log = folder / "server.log"
        with log.open("wb") as output:
            # Started first: the app touches the database only when asked, and its seconds of start-up
            # pass while this process builds the database.
            server = subprocess.Popen(  # noqa: S603
                [*command, "--wc", "1"],
                env={k: v for k, v in os.environ.items() if not k.startswith(foreign)} | settings,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            cli_env: dict[str, str | None] = {k: None for k in os.environ if k.startswith(foreign)} | settings
            _incubator("database", "upgrade", "--no-prompt", env=cli_env)
            _incubator("demo", "load", env=cli_env)
            accounts = json.loads(_incubator("demo", "accounts", "--json", env=cli_env))
            base_url = f"http://127.0.0.1:{port}"
            _wait_for_health(base_url, server, log)
            yield LiveApp(base_url, accounts)
        finally:
            _stop(server)
            clock.set_demo_today(None)


@pytest.fixture(scope="package")
def playwright(live_app: LiveApp) -> Iterator[Playwright]:
    # After the app's set-up: while it runs, Playwright's sync API holds an event loop in this thread,
    # and asyncio.run() (the migrations, the demo loader) refuses to start beside it.
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's chromium at {CHROMIUM}, and it is missing: "
            "`make test` installs it (as root: apt-get install chromium)."
        )
    return CHROMIUM


@pytest.fixture(scope="package")
def browser(chromium_path: Path, playwright: Playwright) -> Iterator[Browser]:
    # chromium_path comes first: without a browser, fail before starting the app.
    chromium = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    report = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED] = True
    return report


@pytest.fixture
def new_page(request: pytest.FixtureRequest, browser: Browser, live_app: LiveApp) -> Iterator[Callable[..., Page]]:
    """Pages in browser contexts of their own (one per person), closed after the test.

    ``new_page()`` is a desktop; ``new_page(phone=True)`` a 390 px wide phone. When the test fails,
    each page is kept as ``var/screenshots/FAILED-<test>-<n>.png``.
    """
    contexts: list[BrowserContext] = []

    def open_page(*, phone: bool = False) -> Page:
        context = browser.new_context(
            base_url=live_app.base_url,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport=PHONE if phone else DESKTOP,
            is_mobile=phone,
            has_touch=phone,
        )
        context.set_default_timeout(STEP_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    failed = request.node.stash.get(FAILED, False)
    for number, context in enumerate(contexts, start=1):
        if failed:
            for page in context.pages:
                shoot(page, "FAILED", f"{request.node.name}-{number}")
        context.close()
