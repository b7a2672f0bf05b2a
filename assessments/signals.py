"""Signals other parts of the platform listen to."""

from django.dispatch import Signal

# Sent after a response is submitted or imported and its scores stored: paths and dashboards
# that depend on results refresh. Arguments: response.
result_recorded = Signal()
