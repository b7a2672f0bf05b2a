"""Demo assessments: the reference maturity instrument and the skills self-check, and a first
result for one company so its lead can see results and a path straight away."""

import json
from pathlib import Path

from assessments.loading import install_instrument
from assessments.models import Instrument, Response
from assessments.services import responses

CONTENT = Path(__file__).resolve().parent / "content" / "assessments"

# Souss Argan Coop took the T0 assessment: answers a cooperative selling argan oil might give.
SOUSS_ARGAN_T0 = {
    "Q1": {"3": ["done"], "6": ["done", "planned"], "7": ["planned"], "8": ["done"]},
    "Q2": [1, 5],
    "Q3": [1, 4, 7],
    "Q4": {"3": 1},
    "Q5": [3],
    "Q6": [1, 2],
    "Q7": [3],
    "Q8": [2],
    "Q9": {},
    "Q10": [10],
    "Q11": {"1": "partially", "5": "yes"},
}


def ensure_instruments():
    """Install the demo instruments that are not there yet. One already installed is left as
    it is: editors may have changed it since, and the demo loads at every start."""
    instruments = {}
    for path in sorted(CONTENT.glob("*.json")):
        existing = Instrument.objects.filter(slug=path.stem).first()
        instruments[path.stem] = existing or install_instrument(
            json.loads(path.read_text(encoding="utf-8"))
        )
    return instruments


def ensure_demo_results(instruments, users):
    maturity = instruments["maturity-sme"]
    lead = users["lead@souss-argan.ma"]
    company = lead.memberships.get().company
    if Response.objects.filter(instrument=maturity, company=company).exists():
        return
    response = responses.start_or_resume(maturity, "T0", company=company, filled_by=lead)
    responses.save_answers(response, SOUSS_ARGAN_T0)
    responses.submit(response)
