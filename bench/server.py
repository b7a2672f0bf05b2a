"""A fresh demo site served by daphne, for any benchmark: a work directory with its own SQLite
database, `manage.py` commands run against it, and a daphne process on a free loopback port."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = ROOT / "bench" / ".work"  # git-ignored
SETTINGS = "bench.settings"


def log(message):
    # stdout carries only the JSON result lines; progress goes to stderr.
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def django_env():
    """The environment every Django process of a run gets: the bench settings, with the
    repository root importable so that `bench.settings` resolves from daphne too."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    env["VIRAGE_BENCH_WORK_DIR"] = str(WORK_DIR)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_python(*args, timeout, capture=False):
    """Run `python <args>` in the repository with the bench environment; fail loudly."""
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=django_env(),
        timeout=timeout,
        stdout=subprocess.PIPE if capture else sys.stderr,
        stderr=sys.stderr,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"bench: `python {' '.join(args)}` failed ({result.returncode})")
    return result.stdout


def fresh_demo_site():
    """A new database with the demo content, built the way a developer builds theirs."""
    shutil.rmtree(WORK_DIR, ignore_errors=True)
    (WORK_DIR / "static").mkdir(parents=True)  # STATIC_ROOT of bench/settings.py
    started = time.monotonic()
    run_python("manage.py", "migrate", "--verbosity", "0", timeout=300)
    run_python("manage.py", "load_demo", "--quiet", timeout=300)
    log(f"demo site ready in {WORK_DIR} ({time.monotonic() - started:.1f} s)")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base_url, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"bench: daphne exited with {process.returncode} on start-up")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"bench: {base_url}/healthz did not answer within {timeout} s")


@contextmanager
def daphne():
    """Serve the site with daphne on 127.0.0.1; yields (host, port). Its output goes to
    .work/daphne.log, shown when something goes wrong."""
    port = free_port()
    log_path = WORK_DIR / "daphne.log"
    command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
    command.append("virage_site.asgi:application")
    with open(log_path, "w") as log_file:
        process = subprocess.Popen(
            command, cwd=ROOT, env=django_env(), stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            wait_healthy(f"http://127.0.0.1:{port}", process)
            log(f"daphne serving on 127.0.0.1:{port} (pid {process.pid})")
            yield "127.0.0.1", port
        except BaseException:
            log(f"daphne log ({log_path}):\n{log_path.read_text()[-4000:]}")
            raise
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
