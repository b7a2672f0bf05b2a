"""Demo companies and accounts: one person per role, so every part of the platform can be tried."""

from django.contrib.auth import get_user_model

from virage_site.accounts.roles import grant_role
from virage_site.companies.models import Company, Invitation, Membership

DEMO_PASSWORD = "virage-demo-2026"  # noqa: S105  (printed on start: these are demo accounts)

COMPANIES = [
    {
        "ice": "001525363000061",
        "name": "Atelier Zellige Fès",
        "sector": "handicrafts",
        "size_band": "micro",
        "region": "fes-meknes",
        "city": "Fès",
    },
    {
        "ice": "002233445000078",
        "name": "Souss Argan Coop",
        "sector": "agrifood",
        "size_band": "small",
        "region": "souss-massa",
        "city": "Agadir",
    },
    {
        "ice": "003344556000089",
        "name": "Casa Logistique Express",
        "sector": "transport",
        "size_band": "medium",
        "region": "casablanca-settat",
        "city": "Casablanca",
    },
]

# (email, first name, last name, platform role, company ICE, company role)
ACCOUNTS = [
    ("admin@virage.ma", "Salma", "Admin", "superuser", None, None),
    ("manager@virage.ma", "Karim", "Bennani", "manager", None, None),
    ("editor@virage.ma", "Nadia", "El Idrissi", "editor", None, None),
    ("coach@virage.ma", "Youssef", "Alaoui", "coach", None, None),
    ("lead@zellige-fes.ma", "Fatima", "Tazi", None, "001525363000061", Membership.Role.LEAD),
    (
        "learner@zellige-fes.ma",
        "Omar",
        "Chraibi",
        None,
        "001525363000061",
        Membership.Role.EMPLOYEE,
    ),
    ("lead@souss-argan.ma", "Aicha", "Amrani", None, "002233445000078", Membership.Role.LEAD),
    (
        "learner@souss-argan.ma",
        "Hassan",
        "Ouali",
        None,
        "002233445000078",
        Membership.Role.EMPLOYEE,
    ),
]


def ensure_people():
    companies = {}
    for data in COMPANIES:
        company, _created = Company.objects.get_or_create(ice=data["ice"], defaults=data)
        companies[company.ice] = company
    User = get_user_model()
    users = {}
    for email, first, last, role, ice, company_role in ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, first_name=first, last_name=last
            )
        if role == "superuser":
            if not user.is_superuser:
                user.is_superuser = user.is_staff = True
                user.save(update_fields=["is_superuser", "is_staff"])
        elif role:
            grant_role(user, role)
        if ice:
            Membership.objects.get_or_create(
                user=user, company=companies[ice], defaults={"role": company_role}
            )
        users[email] = user
    return users


DEMO_INVITEE = "nouvelle.recrue@zellige-fes.ma"


def ensure_demo_invitation():
    """A pending invitation to Atelier Zellige Fès, so a visitor can try the journey from the
    emailed link; a new one replaces it once it is accepted or expired."""
    company = Company.objects.get(ice=COMPANIES[0]["ice"])
    pending = [
        invitation
        for invitation in Invitation.objects.pending().filter(company=company, email=DEMO_INVITEE)
        if not invitation.is_expired
    ]
    if pending:
        return pending[0]
    if get_user_model().objects.filter(email=DEMO_INVITEE).exists():
        return None
    lead = get_user_model().objects.get(email="lead@zellige-fes.ma")
    return Invitation.objects.create(
        company=company,
        email=DEMO_INVITEE,
        full_name="Salma Bennani",
        role=Membership.Role.EMPLOYEE,
        invited_by=lead,
    )


def describe_accounts():
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD})"]
    for email, first, last, role, ice, company_role in ACCOUNTS:
        what = role or ("company lead" if company_role == Membership.Role.LEAD else "learner")
        company = next((c["name"] for c in COMPANIES if c["ice"] == ice), "")
        lines.append(f"  {what:<14} {email:<28} {first} {last}{' · ' + company if company else ''}")
    return "\n".join(lines)
