"""The processes of a room benchmark run: a daphne server per system, and the load-client
processes that drive it (bench/room_client.py, one JSON line per command and per answer)."""

import json
import os
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

from . import server

START_TIMEOUT_S = 60
ANSWER_TIMEOUT_S = 180


class Daphne:
    """One daphne process serving one system; its pid is the server's (memory, CPU)."""

    def __init__(self, app, env, log_path, cpu=None):
        self.port = server.free_port()
        self.log_path = log_path
        command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), app]
        self.log_file = open(log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            command, cwd=server.ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT
        )
        if cpu is not None:
            os.sched_setaffinity(self.process.pid, {cpu})
        self._wait_listening()

    def _wait_listening(self):
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"bench: daphne exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"bench: daphne did not listen within {START_TIMEOUT_S} s")

    def rss_kib(self):
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def cpu_s(self):
        """(user, system) CPU seconds of the process, all its threads, so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        tick = os.sysconf("SC_CLK_TCK")
        return int(fields[11]) / tick, int(fields[12]) / tick

    def signal(self, number):
        self.process.send_signal(number)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.log_file.close()


class LoadClient:
    """One load-client process (bench/room_client.py, or the module named)."""

    def __init__(self, config, env, cpu=None, module="bench.room_client"):
        self.process = subprocess.Popen(
            [sys.executable, "-m", module],
            cwd=server.ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if cpu is not None:
            os.sched_setaffinity(self.process.pid, {cpu})
        self._write(config)

    def _write(self, message):
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def send(self, cmd, **fields):
        self._write({"cmd": cmd, **fields})

    def answer(self, timeout=ANSWER_TIMEOUT_S):
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            raise SystemExit("bench: a load client stopped answering (see its output above)")
        found = json.loads(line)
        if "error" in found:
            raise SystemExit(f"bench: load client: {found['error']}")
        return found

    def quit(self):
        if self.process.poll() is None:
            try:
                self.send("quit")
                self.process.wait(30)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait(10)


def ask_all(clients, cmd, per_client):
    """Send `cmd` to each client with its own fields (None: skip it), then collect answers."""
    asked = []
    for client, fields in zip(clients, per_client, strict=True):
        if fields is not None:
            client.send(cmd, **fields)
            asked.append(client)
    return [client.answer() for client in asked]
