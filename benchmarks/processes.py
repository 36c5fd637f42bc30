"""The processes a benchmark starts: its own redis-server, gunicorn (sync workers through
config.wsgi as in production, or uvicorn workers), plain uvicorn, nginx with
deploy/nginx.conf, a Celery worker (the same ideas as tests/integration/services.py).

Each runs in its own session (process group) so that stopping it stops its children too, asks
the kernel for SIGTERM should the benchmark die, writes to a log under var/bench/logs, and is
always stopped (SIGKILL after a timeout). `started(...)` is the context manager to use.
"""

import contextlib
import ctypes
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

from benchmarks import env

PR_SET_PDEATHSIG = 1
LIBC = ctypes.CDLL(None) if sys.platform.startswith("linux") else None
LOG_DIR = env.VAR_DIR / "logs"


def wait_for(predicate: Callable[[], object], *, what: str, timeout: float = 30.0) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    if LIBC is not None:
        LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Process:
    start_timeout = 30.0  # seconds

    def __init__(self, name: str, argv: list[str], environ: dict[str, str] | None = None):
        self.name, self.argv = name, argv
        self.environ = environ or env.process_env()
        self.popen: subprocess.Popen | None = None
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = LOG_DIR / f"{name}.log"
        self.log_offset = 0
        self.stopping = False  # stop() was called: whoever restarts it must not

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def start(self, wait: bool = True) -> "Process":
        self.spawn()
        if not wait:
            return self
        try:
            wait_for(
                lambda: not self.running or self.ready(),
                what=f"{self.name} to be ready",
                timeout=self.start_timeout,
            )
        except RuntimeError:
            self.stop()
            raise
        if not self.running:
            raise RuntimeError(f"{self.name} exited at start; see {self.log_path}")
        return self

    def spawn(self) -> None:
        """Start the process without waiting for it to be ready."""
        self.stopping = False
        with self.log_path.open("ab") as log:
            log.write(f"\n===== start: {' '.join(self.argv)}\n".encode())
            log.flush()
            self.log_offset = log.tell()
            self.popen = subprocess.Popen(
                self.argv,
                cwd=env.BASE_DIR,
                env=self.environ,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )

    def ready(self) -> bool:
        return True

    def stop(self, timeout: float = 15.0) -> None:
        self.stopping = True
        if self.popen is None:
            return
        self._signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
            self.popen.wait(10)
        self.popen = None

    def _signal(self, sig: int) -> None:
        if self.popen.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)

    def log_contains(self, text: str) -> bool:
        with self.log_path.open("rb") as log:
            log.seek(self.log_offset)
            return text.encode() in log.read()


class RedisServer(Process):
    """The benchmark's own redis-server, in memory only: a restart loses what was queued, the
    worst case for the outbox."""

    current: "RedisServer | None" = None  # the one the run started (the outbox stops it)

    def __init__(self, port: int = env.REDIS_PORT):
        self.port = port
        argv = [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(env.VAR_DIR),
            "--loglevel",
            "warning",
        ]
        super().__init__(f"redis-{port}", argv)

    def start(self, wait: bool = True) -> "Process":
        if port_open(self.port):
            raise RuntimeError(f"something already listens on port {self.port}")
        RedisServer.current = self
        return super().start(wait)

    def ready(self) -> bool:
        return port_open(self.port)


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except urllib.error.HTTPError as error:
        return error.code == 503  # it answers ("degraded"): the worker may not be up yet
    except OSError:
        return False


class Gunicorn(Process):
    """`gunicorn APP -k WORKER_CLASS -w N [--threads T]`: uvicorn workers for an ASGI app,
    `sync` for the production web server (config.wsgi, the Procfile's `web`), `gthread` with
    threads for the benchmarks' what-if rows."""

    # Each worker imports Django on its own: on 2 cores shared with other work (load averages
    # above 10) four of them took longer than 30 s to all answer.
    start_timeout = 120.0

    def __init__(
        self,
        app: str,
        port: int,
        workers: int = 2,
        name: str = "gunicorn",
        worker_class: str = "uvicorn.workers.UvicornWorker",
        threads: int | None = None,
        **extra_env: str,
    ):
        self.port = port
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "-k",
            worker_class,
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--graceful-timeout",
            "5",
        ]
        if threads:  # gthread workers: each serves that many requests at once, in threads
            argv += ["--threads", str(threads)]
        super().__init__(f"{name}-{port}", argv, env.process_env(**extra_env))
        self.workers = workers

    def ready(self) -> bool:
        # Every worker must be serving: gunicorn's master answers nothing itself.
        return _healthy(self.port) and self._worker_count() >= self.workers

    def _worker_count(self) -> int:
        try:
            out = subprocess.run(
                ["pgrep", "-P", str(self.popen.pid)], capture_output=True, text=True, check=False
            )
        except OSError:
            return self.workers
        return len(out.stdout.split())


class Proxy(Process):
    """nginx (Debian's package) running deploy/nginx.conf with this run's ports in place of the
    file's defaults (listen 8080, web 127.0.0.1:8000, ws 127.0.0.1:8001), as
    tests/integration/services.py's Proxy does."""

    BINARY = "/usr/sbin/nginx"
    CONFIG = env.BASE_DIR / "deploy" / "nginx.conf"

    def __init__(self, port: int, *, wsgi_port: int, asgi_port: int, name: str = "nginx"):
        self.port = port
        prefix = env.VAR_DIR / f"{name}-{port}"
        prefix.mkdir(parents=True, exist_ok=True)
        config = self.CONFIG.read_text()
        for old, new in (
            ("listen 8080;", f"listen 127.0.0.1:{port};"),
            ("server 127.0.0.1:8000;", f"server 127.0.0.1:{wsgi_port};"),
            ("server 127.0.0.1:8001;", f"server 127.0.0.1:{asgi_port};"),
            ("pid /run/congress-nginx.pid;", f"pid {prefix / 'nginx.pid'};"),
        ):
            if old not in config:
                raise RuntimeError(f"deploy/nginx.conf no longer has {old!r}")
            config = config.replace(old, new)
        config_path = prefix / "nginx.conf"
        config_path.write_text(config)
        argv = [self.BINARY, "-p", str(prefix), "-c", str(config_path), "-g", "daemon off;"]
        super().__init__(f"{name}-{port}", argv, dict(os.environ))

    @staticmethod
    def available() -> bool:
        return Path(Proxy.BINARY).exists()

    def ready(self) -> bool:
        return _healthy(self.port)


class Uvicorn(Process):
    """One uvicorn process serving HTTP and the live websocket."""

    def __init__(self, port: int, **extra_env: str):
        self.port = port
        argv = [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host=127.0.0.1",
            f"--port={port}",
            "--ws=websockets-sansio",
            "--lifespan=off",
            "--no-access-log",
            "--log-level=warning",
        ]
        super().__init__(f"uvicorn-{port}", argv, env.process_env(**extra_env))

    def ready(self) -> bool:
        return _healthy(self.port)


class CeleryWorker(Process):
    """`celery -A config worker`, prefork with one process per core, as in production."""

    def __init__(self, concurrency: int | None = None, **extra_env: str):
        self.hostname = f"bench-{os.getpid()}@127.0.0.1"
        argv = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--concurrency={concurrency or os.cpu_count() or 2}",
            "--loglevel=INFO",
            f"--hostname={self.hostname}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        super().__init__("celery-worker", argv, env.process_env(LOG_LEVEL="INFO", **extra_env))

    def ready(self) -> bool:
        return self.log_contains(f"{self.hostname} ready.")


@contextlib.contextmanager
def started(*processes: Process) -> Iterator[tuple[Process, ...]]:
    """Start the processes in order; stop them all in reverse order, whatever happens."""
    running: list[Process] = []
    try:
        for process in processes:
            process.start()
            running.append(process)
        yield processes
    finally:
        for process in reversed(running):
            process.stop()


def log_path(name: str) -> Path:
    return LOG_DIR / name
