"""Who coaches what. Other apps ask here (for example, so that coaches see the assessment
results of the companies they coach)."""

from .placements import current_places


def companies_coached_by(user):
    """Ids of the companies now in the cohorts `user` coaches, as a subquery: a company that
    moved to another cohort is followed by that cohort's coaches only."""
    if not user.is_authenticated:
        return current_places().none().values("company_id")
    return current_places().filter(cohort__coaches=user).values("company_id")
