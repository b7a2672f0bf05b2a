from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..services.overview import assessment_overview


@login_required
def index(request):
    """The person's assessments: their companies' (taken by the lead, read by everyone in the
    company) and their own skills self-check."""
    return render(
        request, "assessments/index.html", {"overview": assessment_overview(request.user)}
    )
