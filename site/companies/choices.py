"""Fixed vocabularies for companies: Morocco's 12 regions (2015 division), sectors, size bands."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    TANGER_TETOUAN_AL_HOCEIMA = "tanger-tetouan-al-hoceima", _("Tanger-Tétouan-Al Hoceïma")
    ORIENTAL = "oriental", _("L'Oriental")
    FES_MEKNES = "fes-meknes", _("Fès-Meknès")
    RABAT_SALE_KENITRA = "rabat-sale-kenitra", _("Rabat-Salé-Kénitra")
    BENI_MELLAL_KHENIFRA = "beni-mellal-khenifra", _("Béni Mellal-Khénifra")
    CASABLANCA_SETTAT = "casablanca-settat", _("Casablanca-Settat")
    MARRAKECH_SAFI = "marrakech-safi", _("Marrakech-Safi")
    DRAA_TAFILALET = "draa-tafilalet", _("Drâa-Tafilalet")
    SOUSS_MASSA = "souss-massa", _("Souss-Massa")
    GUELMIM_OUED_NOUN = "guelmim-oued-noun", _("Guelmim-Oued Noun")
    LAAYOUNE_SAKIA_EL_HAMRA = "laayoune-sakia-el-hamra", _("Laâyoune-Sakia El Hamra")
    DAKHLA_OUED_ED_DAHAB = "dakhla-oued-ed-dahab", _("Dakhla-Oued Ed-Dahab")


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture and fishing")
    AGRIFOOD = "agrifood", _("Food processing")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    TEXTILE = "textile", _("Textile and leather")
    HANDICRAFTS = "handicrafts", _("Handicrafts")
    CONSTRUCTION = "construction", _("Construction and public works")
    RETAIL = "retail", _("Retail trade")
    WHOLESALE = "wholesale", _("Wholesale and distribution")
    TOURISM = "tourism", _("Tourism, hotels and restaurants")
    TRANSPORT = "transport", _("Transport and logistics")
    DIGITAL = "digital", _("IT and digital services")
    SERVICES = "services", _("Business services")
    HEALTH = "health", _("Health and social care")
    EDUCATION = "education", _("Education and training")
    OTHER = "other", _("Other")


class SizeBand(models.TextChoices):
    MICRO = "micro", _("Very small (fewer than 10 employees)")
    SMALL = "small", _("Small (10 to 49 employees)")
    MEDIUM = "medium", _("Medium (50 to 249 employees)")
    LARGE = "large", _("Large (250 employees or more)")
