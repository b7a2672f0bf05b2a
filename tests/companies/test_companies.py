import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests import factories
from virage_site.companies.models import Company
from virage_site.companies.validators import normalise_ice

pytestmark = pytest.mark.django_db


def company(**fields):
    data = {
        "name": "Café Atlas",
        "ice": "001234567000089",
        "sector": "tourism",
        "size_band": "micro",
        "region": "marrakech-safi",
        "city": "Marrakech",
    }
    data.update(fields)
    return Company(**data)


def test_a_valid_company_passes_validation():
    company().full_clean()


@pytest.mark.parametrize(
    "ice", ["12345", "00123456700008X", "0012345670000891", "", "abcdefghijklmno"]
)
def test_an_ice_must_be_fifteen_digits(ice):
    with pytest.raises(ValidationError) as error:
        company(ice=ice).full_clean()
    assert "ice" in error.value.message_dict


def test_an_ice_typed_with_spaces_or_dots_is_stored_as_digits():
    record = company(ice="001 234 567 000.089")
    record.full_clean()
    record.save()
    assert Company.objects.get().ice == "001234567000089"
    assert normalise_ice(" 001-234-567-000-089 ") == "001234567000089"


def test_an_ice_is_unique():
    company().save()
    with pytest.raises(IntegrityError):
        company(name="Autre").save()


def test_unknown_region_sector_or_size_are_refused():
    with pytest.raises(ValidationError) as error:
        company(region="paris", sector="mining", size_band="huge").full_clean()
    assert set(error.value.message_dict) == {"region", "sector", "size_band"}


def test_morocco_has_twelve_regions():
    from virage_site.companies.choices import Region

    assert len(Region.choices) == 12


def test_a_person_belongs_to_a_company_once():
    firm = factories.make_company()
    person = factories.add_member(firm)
    with pytest.raises(IntegrityError):
        factories.add_member(firm, person)


def test_arabic_indic_digits_are_stored_as_the_same_ice():
    assert normalise_ice("٠٠١٢٣٤٥٦٧٠٠٠٠٨٩") == "001234567000089"
    company().save()
    with pytest.raises(IntegrityError):
        company(name="Doublon", ice="٠٠١٢٣٤٥٦٧٠٠٠٠٨٩").save()


def test_non_ascii_digits_that_are_not_decimal_are_refused():
    with pytest.raises(ValidationError):
        company(ice="①②③④⑤⑥⑦⑧⑨①②③④⑤⑥").full_clean()


def test_the_admin_form_accepts_an_ice_typed_with_spaces(client):
    client.force_login(factories.make_user(role="manager"))
    response = client.post(
        "/admin/company/new/",
        {
            "name": "Huilerie Meknès",
            "ice": "001 525 363 000 062",
            "sector": "agrifood",
            "size_band": "small",
            "region": "fes-meknes",
            "city": "Meknès",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Company.objects.get(name="Huilerie Meknès").ice == "001525363000062"


def test_the_admin_form_explains_a_bad_ice(client):
    client.force_login(factories.make_user(role="manager"))
    response = client.post(
        "/admin/company/new/",
        {
            "name": "X",
            "ice": "12345",
            "sector": "agrifood",
            "size_band": "small",
            "region": "fes-meknes",
            "city": "Fès",
        },
    )
    assert response.status_code == 200
    assert not Company.objects.filter(name="X").exists()


def test_the_admin_form_keeps_the_leads_contact(client):
    client.force_login(factories.make_user(role="manager"))
    response = client.post(
        "/admin/company/new/",
        {
            "name": "Tissage Fès",
            "ice": "001525363000071",
            "sector": "textile",
            "size_band": "micro",
            "region": "fes-meknes",
            "city": "Fès",
            "lead_name": "Salma Berrada",
            "lead_email": "salma@tissage.ma",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Company.objects.get(name="Tissage Fès")
    assert (saved.lead_name, saved.lead_email) == ("Salma Berrada", "salma@tissage.ma")
