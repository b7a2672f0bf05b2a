"""Courses: a pluggable Wagtail app for course pages, lessons, enrolment, progress and
certificates."""
