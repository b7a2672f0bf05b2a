"""Admin screens of the assessments app, assembled into one menu group by wagtail_hooks."""
