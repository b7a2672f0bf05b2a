"""bench/RESULTS.md: a description of the machine, and one section per benchmark. A run rewrites
its own section and keeps the others, so each benchmark can be run on its own."""

import os
import platform
import re
import sqlite3
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
TITLE = "# Benchmark results\n\nWritten by `bench/run.py`; each section by its own run.\n"


def _proc_value(path, key):
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def machine():
    """One line: what the figures were measured on."""
    memory_kb = _proc_value("/proc/meminfo", "MemTotal")
    memory = f"{int(memory_kb.split()[0]) / 1024**2:.1f} GiB" if memory_kb else "unknown memory"
    cpu = _proc_value("/proc/cpuinfo", "model name") or platform.processor() or "unknown CPU"
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory}, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {version('django')}, "
        f"Wagtail {version('wagtail')}, daphne {version('daphne')}, SQLite {sqlite3.sqlite_version}"
    )


def load_average():
    """The 1-minute load average: other work on the machine slows both systems of a run."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"


def now():
    return datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write_section(name, body):
    """Replace the section `name` of RESULTS.md (between its markers) with `body`."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    section = f"{start}\n{body.strip()}\n{end}"
    text = RESULTS.read_text() if RESULTS.exists() else TITLE
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _match: section, text)
    else:
        text = text.rstrip() + "\n\n" + section
    RESULTS.write_text(text.rstrip() + "\n")
