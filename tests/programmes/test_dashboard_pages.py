"""The dashboards as a programme manager reads them: figures in tables beside their charts,
filters that narrow them, bad filters explained, the pages in Arabic, the admin menu."""

import html

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, small_programme):
    client.force_login(small_programme.manager)
    return client


def url(name, *args, lang="fr"):
    with translation.override(lang):
        return reverse(f"programme:{name}", args=args)


def test_overview_shows_each_figure_as_a_chart_and_a_table(manager_client):
    response = manager_client.get(url("overview"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<table") == page.count("<caption") == 8
    assert page.count('<svg class="bar-chart"') == 6
    assert 'scope="col"' in page and 'scope="row"' in page
    # Each chart is named by its caption, which the page contains.
    assert 'aria-labelledby="figure-2-levels"' in page and 'id="figure-2-levels"' in page
    assert "programmes.css" in page
    assert "Promotion A" in page  # attendance by cohort


def test_overview_filter_narrows_the_figures(manager_client):
    everything = manager_client.get(url("overview"))
    retail = manager_client.get(url("overview"), {"sector": "retail"})
    assert retail.status_code == 200
    imported = retail.context["figures"][0]["table"].rows[0][1]
    assert imported == 2
    assert everything.context["figures"][0]["table"].rows[0][1] == 4
    # Exports carry the same filters.
    assert "sector=retail" in retail.context["figures"][0]["exports"][0][1]


@pytest.mark.parametrize(
    "query",
    [
        {"sector": "banking"},
        {"region": "paris"},
        {"size_band": "huge"},
        {"cohort": "999999"},
        {"cohort": "not-a-number"},
        {"programme": "0"},
        {"instrument": "-1"},
    ],
)
def test_unknown_filter_values_are_form_errors(manager_client, query):
    response = manager_client.get(url("overview"), query)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert response.context["figures"] == []
    assert 'role="alert"' in response.content.decode()


def test_a_cohort_of_another_programme_is_refused(manager_client, small_programme):
    from coaching.models import Cohort, Programme

    other = Programme.objects.create(name="Autre", starts_on="2026-01-01", ends_on="2026-12-31")
    elsewhere = Cohort.objects.create(programme=other, name="Ailleurs")
    response = manager_client.get(
        url("overview"), {"programme": small_programme.programme.pk, "cohort": elsewhere.pk}
    )
    assert response.status_code == 400
    assert "cohort" in response.context["form"].errors


def test_before_after_page_says_which_companies_count(manager_client):
    response = manager_client.get(url("before_after"))
    assert response.status_code == 200
    table = response.context["figures"][0]["table"]
    assert html.escape(table.note) in response.content.decode()
    assert table.rows[-1][1:] == [2, 20.0, 47.5, 27.5]


def test_before_after_by_region(manager_client):
    response = manager_client.get(url("before_after"), {"group": "region", "compare": "T0-T1"})
    assert response.status_code == 200
    names = [figure["table"].name for figure in response.context["figures"]]
    assert names == ["before_after", "change_by_group", "dimensions_by_group"]
    summary = response.context["figures"][1]["table"]
    assert [row[1:] for row in summary.rows] == [[1, 30.0, 60.0, 30.0], [1, 10.0, 35.0, 25.0]]


def test_before_after_refuses_an_unknown_grouping(manager_client):
    response = manager_client.get(url("before_after"), {"group": "ice"})
    assert response.status_code == 400
    assert "group" in response.context["form"].errors


def test_cohort_page_lists_its_companies_only(manager_client, small_programme):
    response = manager_client.get(url("cohort", small_programme.cohort_a.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Atlas Retail" in page and "Souss Tourisme" in page
    assert "Rabat Commerce" not in page and "Fès Atelier" not in page


def test_pages_in_arabic_draw_charts_right_to_left(manager_client):
    response = manager_client.get(url("overview", lang="ar"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'dir="rtl"' in page
    assert 'direction="rtl"' in page


def test_admin_menu_links_the_dashboards_for_managers_only(client, small_programme):
    client.force_login(small_programme.manager)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '"name": "programme-dashboards"' in page
    assert f'"url": "{reverse("programme:overview")}"' in page
    coach = small_programme.coach_a
    coach.is_staff = True
    coach.save()
    from django.contrib.auth.models import Permission

    coach.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(coach)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Wagtail" in page
    assert '"name": "programme-dashboards"' not in page


def test_dashboard_card_links_the_overview_for_managers_only(rf, small_programme):
    from django.template.loader import render_to_string

    template = "programmes/dashboard/includes/dashboard_link.html"
    for user, shown in ((small_programme.manager, True), (small_programme.coach_a, False)):
        request = rf.get("/")
        request.user = user
        html = render_to_string(template, request=request)
        assert (reverse("programme:overview") in html) is shown
