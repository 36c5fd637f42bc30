"""The real processes the integration tests run against: a Celery worker, the ASGI server
(uvicorn) and an SMTP server (aiosmtpd, in a thread of the test process).

Each process runs in its own session (process group), writes its output to a log file that a
failing test prints, and is always stopped, with SIGKILL if it does not stop in time.
"""

import contextlib
import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import TypeVar

from aiosmtpd.controller import Controller

BASE_DIR = Path(__file__).resolve().parents[2]
PR_SET_PDEATHSIG = 1
LIBC = ctypes.CDLL(None) if sys.platform.startswith("linux") else None
T = TypeVar("T")

# Every process made here, so that a failing test can print their logs.
PROCESSES: list["Process"] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    predicate: Callable[[], T], *, what: str, timeout: float = 20.0, interval: float = 0.05
) -> T:
    """Poll until `predicate()` returns something truthy, and return it."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def _die_with_parent() -> None:
    """In the child: on Linux, ask for SIGTERM when the test process dies, however it dies
    (libc is loaded beforehand: nothing but the call itself runs between fork and exec)."""
    if LIBC is not None:
        LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Process:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_path: Path):
        self.name, self.argv, self.env, self.log_path = name, argv, env, log_path
        self.popen: subprocess.Popen | None = None
        self.log_offset = 0  # where the output of the current run starts
        PROCESSES.append(self)

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            log.write(f"\n===== start: {' '.join(self.argv)}\n".encode())
            log.flush()
            self.log_offset = log.tell()
            self.popen = subprocess.Popen(
                self.argv,
                cwd=BASE_DIR,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        try:
            wait_for(self._ready_or_dead, what=f"{self.name} to be ready", timeout=30)
        except AssertionError:
            self.stop()
            raise
        if not self.running:
            raise RuntimeError(f"{self.name} exited at start:\n{self.log_tail()}")

    def _ready_or_dead(self) -> bool:
        return not self.running or self.ready()

    def ready(self) -> bool:
        raise NotImplementedError

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM (a warm shutdown), then SIGKILL if it is still there after `timeout`."""
        if self.popen is None:
            return
        self._signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        self.popen = None

    def kill(self) -> None:
        """SIGKILL the whole process group at once: no shutdown, no acknowledgement."""
        if self.popen is None:
            return
        self._signal(signal.SIGKILL)
        self.popen.wait(10)
        self.popen = None

    def _signal(self, sig: int) -> None:
        if self.popen.poll() is not None:
            return  # already gone: its id may be reused, so signal nothing
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)  # the group this process leads (start_new_session)

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


class Worker(Process):
    """`celery -A config worker` with the solo pool: one process (a SIGKILL leaves nothing
    behind) that runs tasks one at a time in the order they were queued."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.hostname = f"integration-{os.getpid()}@127.0.0.1"
        argv = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            f"--hostname={self.hostname}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        super().__init__("celery worker", argv, env, log_path)

    def ready(self) -> bool:
        # Its log line, not a ping: a solo worker busy with a task answers no ping.
        with self.log_path.open("rb") as log:
            log.seek(self.log_offset)
            return f"{self.hostname} ready.".encode() in log.read()

    def ensure_running(self) -> None:
        if not self.running:
            self.start()


def websocket_options(source: Path = BASE_DIR / "Makefile") -> list[str]:
    """The `--ws...` options of the uvicorn command in `make run` (or another file's), so that
    the servers of the tests are the one a user starts, not a copy of its command line."""
    for line in source.read_text().splitlines():
        if "uvicorn" in line and "config.asgi:application" in line:
            words = line.replace("=", " ").split()
            return [
                f"{word}={words[i + 1]}" for i, word in enumerate(words) if word.startswith("--ws")
            ]
    raise AssertionError(f"no uvicorn command in {source}")


class AsgiServer(Process):
    """uvicorn serving config.asgi:application (HTTP and the /ws/live/ websocket)."""

    def __init__(self, env: dict[str, str], log_path: Path, port: int):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.ws_url = f"ws://127.0.0.1:{port}"
        argv = [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host=127.0.0.1",
            f"--port={port}",
            *websocket_options(),
            "--lifespan=off",
        ]
        super().__init__("uvicorn", argv, env, log_path)

    def ready(self) -> bool:
        return _healthy(self.url)  # a 503 "degraded" answers too: the worker may not be up


class SmtpServer:
    """An aiosmtpd server in a thread of the test process that keeps every message it gets.
    `stop()` leaves nothing listening on its port until `start()`."""

    def __init__(self, port: int):
        self.port = port
        self._messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self._messages.append(message)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per SMTP command
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def messages(self, *, to: str, containing: str) -> list[EmailMessage]:
        """The messages to `to` whose subject or text part contains `containing`."""
        with self._lock:
            received = list(self._messages)
        return [m for m in received if m["To"] == to and containing in _subject_and_text(m)]


def _subject_and_text(message: EmailMessage) -> str:
    text = message.get_body(("plain",))
    return str(message["Subject"]) + "\n" + (text.get_content() if text is not None else "")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            return response.status in (200, 503)  # it answers: the worker may not be up yet
    except urllib.error.HTTPError as error:
        return error.code == 503
    except OSError:
        return False


class WsgiServer(Process):
    """gunicorn with sync workers serving config.wsgi:application (HTTP in production)."""

    def __init__(self, env: dict[str, str], log_path: Path, port: int, workers: int = 2):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=sync",
            "--access-logfile=-",
        ]
        super().__init__("gunicorn", argv, env, log_path)

    def ready(self) -> bool:
        return _healthy(self.url)


class Proxy(Process):
    """nginx (Debian's package) running deploy/nginx.conf, with this run's ports put in place
    of the file's defaults (listen 8080, web 127.0.0.1:8000, ws 127.0.0.1:8001)."""

    BINARY = "/usr/sbin/nginx"
    CONFIG = BASE_DIR / "deploy" / "nginx.conf"

    def __init__(self, log_path: Path, prefix: Path, *, port: int, wsgi_port: int, asgi_port: int):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.ws_url = f"ws://127.0.0.1:{port}"
        prefix.mkdir(parents=True, exist_ok=True)
        config = self.CONFIG.read_text()
        for old, new in (
            ("listen 8080;", f"listen 127.0.0.1:{port};"),
            ("server 127.0.0.1:8000;", f"server 127.0.0.1:{wsgi_port};"),
            ("server 127.0.0.1:8001;", f"server 127.0.0.1:{asgi_port};"),
            ("pid /run/congress-nginx.pid;", f"pid {prefix / 'nginx.pid'};"),
            ("worker_processes auto;", "worker_processes 1;"),
        ):
            assert old in config, f"deploy/nginx.conf no longer has {old!r}"
            config = config.replace(old, new)
        config_path = prefix / "nginx.conf"
        config_path.write_text(config)
        argv = [self.BINARY, "-p", str(prefix), "-c", str(config_path), "-g", "daemon off;"]
        super().__init__("nginx", argv, dict(os.environ), log_path)

    def ready(self) -> bool:
        return _healthy(self.url)
