"""Run a benchmark: `.venv/bin/python bench/run.py pages` (from the repository root).

Each benchmark is a module of bench/ with `add_arguments(parser)` and `main(args)`; add one to
BENCHMARKS to give it a subcommand."""

import argparse
import importlib
import sys
from pathlib import Path

# Run as a script, Python puts bench/ itself first on sys.path, where bench/*.py could shadow
# standard modules; put the repository root there instead so benchmarks import as `bench.*`.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

BENCHMARKS = {
    "pages": "bench.pages",
    "assessments": "bench.assessments",
    "room": "bench.room",
    "dashboard": "bench.dashboard",
    "soak": "bench.room_soak",
}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.splitlines()[0])
    subcommands = parser.add_subparsers(dest="benchmark", required=True)
    for name, module_name in BENCHMARKS.items():
        module = importlib.import_module(module_name)
        sub = subcommands.add_parser(name, help=module.__doc__.splitlines()[0])
        module.add_arguments(sub)
        sub.set_defaults(run=module.main)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
