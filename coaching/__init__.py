"""Coaching: a pluggable app for cohorts, live sessions, live rooms and attendance."""
