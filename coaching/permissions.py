"""Who coaches what. Other apps ask here (for example, so that coaches see the assessment
results of the companies they coach)."""

from .models import CohortCompany


def companies_coached_by(user):
    """Ids of the companies in the cohorts `user` coaches, as a subquery."""
    if not user.is_authenticated:
        return CohortCompany.objects.none().values("company_id")
    return CohortCompany.objects.filter(cohort__coaches=user).values("company_id")
