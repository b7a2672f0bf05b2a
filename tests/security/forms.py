"""Writing through the site's forms as a browser does: read the page with the form, then post
it with the CSRF token that page gave (the client enforces CSRF checks, as the site does)."""

from django.test import Client


def form_client(user):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def post_form(client, form_page, action, data, expect=302):
    """Posts `data` to `action` after reading `form_page`; the response must be `expect`."""
    read = client.get(form_page)
    assert read.status_code == 200, (form_page, read.status_code)
    token = client.cookies["csrftoken"].value
    response = client.post(action, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == expect, (action, response.status_code)
    return response
