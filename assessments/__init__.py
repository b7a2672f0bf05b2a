"""Assessments: a pluggable app for instruments, responses, scoring, quizzes and path rules."""
