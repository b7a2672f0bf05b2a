"""Finding the response a request is about, or a 404. A response someone may not answer or see
is a 404 like one that does not exist, so ids never tell whether another company has one."""

from django.http import Http404

from ..models import Response
from ..permissions import can_answer_for_company, can_view_response


def may_answer(user, response):
    if response.person_id is not None:
        return response.person_id == user.pk
    return can_answer_for_company(user, response.company)


def response_to_answer(user, response_id):
    """A response `user` answers: a company's for its lead, a person's for that person."""
    response = (
        Response.objects.select_related("instrument", "version", "company")
        .filter(pk=response_id)
        .first()
    )
    if response is None or not may_answer(user, response):
        raise Http404
    return response


def response_to_read(user, response_id):
    """A response with results that `user` may read."""
    response = (
        Response.objects.select_related("instrument", "version", "company")
        .filter(pk=response_id)
        .exclude(status=Response.Status.DRAFT)
        .first()
    )
    if response is None or not can_view_response(user, response):
        raise Http404
    return response
