"""Settings of the assessments benchmark: the bench settings (a database and cache of its own,
DEBUG off), on PostgreSQL when the runner passes a database address through the environment."""

import os

import dj_database_url

from bench.settings import *  # noqa: F403

if os.environ.get("VIRAGE_BENCH_DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["VIRAGE_BENCH_DATABASE_URL"])}
