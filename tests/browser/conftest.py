"""Browser tests: Playwright drives Debian's chromium (/usr/bin/chromium, never a browser that
`playwright install` would download) against a real uvicorn serving config.asgi, on a SQLite
file database of its own, migrated and loaded with the demo (`manage.py load_demo`).

The server is the embedded configuration `make run` starts (in-memory channel layer, Celery
tasks in-process), so a transition made in one browser reaches the other over the /ws/live/
websocket exactly as in a demo. Skipped, saying why, when chromium or playwright is missing.
"""

import json
import os
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.environment import missing
from tests.integration.services import BASE_DIR, PROCESSES, AsgiServer, free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "Daihoi@2025"
# The README's screenshots are rewritten only on request (UPDATE_SCREENSHOTS=1); otherwise a
# run leaves its own in var/screenshots/ (not tracked), so a test run never changes the tree.
SCREENSHOTS = BASE_DIR / (
    "docs/screenshots" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else "var/screenshots"
)
# The application's own variables: the server gets them from here, never from the environment
# the tests run in (CI points DATABASE_URL at PostgreSQL; this server has its own SQLite file).
APP_VARIABLES = {
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "EMAIL_URL",
    "MEDIA_ROOT",
    "PRODUCTION",
    "REDIS_URL",
    "SITE_URL",
    "VAR_DIR",
}


def _unavailable() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests need the playwright package (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="session", autouse=True)
def browser_available():
    reason = _unavailable()
    if reason:
        missing(reason)


class DemoSite:
    """The running server, its database file, and the demo's logins."""

    def __init__(self, server: AsgiServer, database: Path):
        self.server = server
        self.url = server.url
        self.database = database

    def query(self, sql: str, *params) -> list[tuple]:
        """Read the server's database directly (what a test checks, never what it does)."""
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql, params).fetchall()

    def api(self, username: str, method: str, path: str, body: dict | None = None):
        token = self._token(username)
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def _token(self, username: str) -> str:
        request = urllib.request.Request(
            f"{self.url}/api/v1/auth/token/",
            data=json.dumps({"username": username, "password": PASSWORD}).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)["token"]


def demo_site(tmp_path_factory, name: str = "browser-site"):
    """uvicorn on a free port over a fresh demo database (a generator: the site, then its
    stop)."""
    root = tmp_path_factory.mktemp(name)
    database = root / "congress.sqlite3"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in APP_VARIABLES}
    env = {k: v for k, v in env.items() if not k.startswith("CELERY_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{database}",
        VAR_DIR=str(root),
        MEDIA_ROOT=str(root / "media"),
        EMAIL_URL="dummymail://",
        PERIODIC_JOBS_IN_PROCESS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        DEBUG="0",
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="WARNING",
    )
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    for command in (["migrate", "--noinput"], ["load_demo"]):
        subprocess.run([*manage, *command], env=env, cwd=BASE_DIR, check=True, capture_output=True)
    server = AsgiServer(env, root / "uvicorn.log", port)
    server.start()
    yield DemoSite(server, database)
    server.stop()
    PROCESSES.remove(server)


@pytest.fixture(scope="session")
def site(browser_available, tmp_path_factory):
    """The demo site every browser test shares (tests that only add to the demo)."""
    yield from demo_site(tmp_path_factory)


@pytest.fixture(scope="session")
def browser(browser_available):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def login(browser, site):
    """`login(username, width=1280)`: a page of a new browser context (its own cookies),
    logged in through the login form, in Vietnamese as the demo's users read it."""
    yield from page_opener(browser, site)


def page_opener(browser, site, landing: str = "**/congresses/*/"):
    """The `login` of a site (a generator: the opener, then its contexts closed), waiting for
    the page a login lands on (`landing`: one congress's dashboard, by default)."""
    contexts = []

    def open_page(username: str, width: int = 1280, height: int = 900):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            base_url=site.url,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on(
            "console",
            lambda message: page.errors.append(message.text) if message.type == "error" else None,
        )
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("form.stack button[type=submit]")
        page.wait_for_url(landing)
        return page

    yield open_page
    for context in contexts:
        context.close()


def wait_live(page) -> None:
    """Until the page's websocket has subscribed (the live dot is green)."""
    page.wait_for_selector("body[data-live-state='live']")


def screenshot(page, name: str, **options) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), **options)
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and "tests/browser/" in str(item.fspath):
        for process in PROCESSES:
            report.sections.append((f"{process.name} log (last lines)", process.log_tail()))
    return report
