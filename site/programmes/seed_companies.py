"""Companies and people of a seeded programme, drawn from one seeded generator: spread over
sizes, sectors and Morocco's twelve regions as in a national programme, with French and Arabic
names. Nothing here touches the database."""

from virage_site.companies.choices import Region, Sector, SizeBand

# Addresses under a reserved top-level domain (RFC 2606): mail sent to seeded people, by
# reminders for instance, can never reach anyone. It also marks what the seed created, which
# is all that `--replace` ever deletes.
EMAIL_DOMAIN = "virage-seed.example"

# Shares of companies by size band, sector and region: mostly very small firms, in trade,
# crafts and services, around Casablanca, Rabat and Tangier.
SIZES = {SizeBand.MICRO: 64, SizeBand.SMALL: 26, SizeBand.MEDIUM: 9, SizeBand.LARGE: 1}
SECTORS = {
    Sector.RETAIL: 16,
    Sector.SERVICES: 12,
    Sector.HANDICRAFTS: 10,
    Sector.AGRIFOOD: 9,
    Sector.TOURISM: 9,
    Sector.CONSTRUCTION: 8,
    Sector.TEXTILE: 7,
    Sector.AGRICULTURE: 6,
    Sector.MANUFACTURING: 6,
    Sector.TRANSPORT: 5,
    Sector.WHOLESALE: 4,
    Sector.DIGITAL: 3,
    Sector.HEALTH: 2,
    Sector.EDUCATION: 2,
    Sector.OTHER: 1,
}
REGIONS = {
    Region.CASABLANCA_SETTAT: (30, ["Casablanca", "Mohammédia", "El Jadida", "Settat"]),
    Region.RABAT_SALE_KENITRA: (14, ["Rabat", "Salé", "Kénitra", "Témara"]),
    Region.TANGER_TETOUAN_AL_HOCEIMA: (11, ["Tanger", "Tétouan", "Al Hoceïma", "Larache"]),
    Region.FES_MEKNES: (10, ["Fès", "Meknès", "Taza", "Ifrane"]),
    Region.MARRAKECH_SAFI: (9, ["Marrakech", "Safi", "Essaouira"]),
    Region.SOUSS_MASSA: (7, ["Agadir", "Taroudant", "Tiznit"]),
    Region.ORIENTAL: (5, ["Oujda", "Nador", "Berkane"]),
    Region.BENI_MELLAL_KHENIFRA: (5, ["Béni Mellal", "Khouribga", "Khénifra"]),
    Region.DRAA_TAFILALET: (3, ["Errachidia", "Ouarzazate", "Zagora"]),
    Region.GUELMIM_OUED_NOUN: (2, ["Guelmim", "Tan-Tan"]),
    Region.LAAYOUNE_SAKIA_EL_HAMRA: (2, ["Laâyoune", "Boujdour"]),
    Region.DAKHLA_OUED_ED_DAHAB: (2, ["Dakhla"]),
}
# How digital a company of each size tends to be, from 0 to 1 (each company varies around it).
PROPENSITY = {
    SizeBand.MICRO: 0.3,
    SizeBand.SMALL: 0.42,
    SizeBand.MEDIUM: 0.55,
    SizeBand.LARGE: 0.65,
}
ARABIC_NAME_SHARE = 0.3

FIRST_NAMES = [
    "Youssef", "Fatima Zahra", "Mohamed", "Khadija", "Amine", "Salma", "Hamza", "Imane",
    "Omar", "Nadia", "Rachid", "Samira", "Karim", "Leila", "Mehdi", "Houda", "Anas", "Meryem",
    "Yassine", "Zineb", "Adil", "Sanaa", "Hicham", "Loubna", "Brahim", "Hajar", "Said", "Asmae",
]  # fmt: skip
LAST_NAMES = [
    "Benjelloun", "El Amrani", "Alaoui", "Bennani", "Tazi", "Berrada", "Idrissi", "Chraibi",
    "El Fassi", "Lahlou", "Ouazzani", "Benkirane", "Kettani", "Sqalli", "Naciri", "Bouzid",
    "Haddad", "Lamrani", "El Khatib", "Sebti", "Tahiri", "Filali", "Ait Taleb", "Oubella",
]  # fmt: skip
FRENCH_KINDS = {
    Sector.RETAIL: ["Boutique", "Comptoir", "Magasin"],
    Sector.SERVICES: ["Cabinet", "Agence", "Bureau d'études"],
    Sector.HANDICRAFTS: ["Atelier", "Maison", "Dar"],
    Sector.AGRIFOOD: ["Huilerie", "Conserverie", "Biscuiterie"],
    Sector.TOURISM: ["Riad", "Hôtel", "Restaurant"],
    Sector.CONSTRUCTION: ["Entreprise de travaux", "Bâtiment", "Menuiserie"],
    Sector.TEXTILE: ["Confection", "Tissages", "Maroquinerie"],
    Sector.AGRICULTURE: ["Domaine", "Ferme", "Coopérative agricole"],
    Sector.MANUFACTURING: ["Industries", "Usinage", "Plastiques"],
    Sector.TRANSPORT: ["Transports", "Logistique", "Messagerie"],
    Sector.WHOLESALE: ["Distribution", "Négoce", "Dépôt"],
    Sector.DIGITAL: ["Digital", "Web Studio", "Informatique"],
    Sector.HEALTH: ["Clinique", "Pharmacie", "Laboratoire"],
    Sector.EDUCATION: ["École", "Centre de formation", "Institut"],
    Sector.OTHER: ["Société", "Établissements", "Groupe"],
}
FRENCH_WORDS = ["Atlas", "Al Amal", "Anfa", "Argan", "Al Baraka", "Oasis", "Zellige", "Rif"]
FRENCH_FORMS = ["", " SARL", " SARL AU", " SA"]
ARABIC_KINDS = ["شركة", "مقاولة", "تعاونية", "مؤسسة", "ورشة", "دار"]
ARABIC_WORDS = ["الأطلس", "النخيل", "الأمل", "السلام", "الريف", "الواحة", "الفتح", "النور",
                "الزيتون", "البركة", "الأركان", "الصفاء"]  # fmt: skip


def weighted(rng, shares):
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def company_name(rng, sector, city):
    if rng.random() < ARABIC_NAME_SHARE:
        return f"{rng.choice(ARABIC_KINDS)} {rng.choice(ARABIC_WORDS)}"
    kind = rng.choice(FRENCH_KINDS[sector])
    name = rng.choice(LAST_NAMES) if rng.random() < 0.5 else rng.choice(FRENCH_WORDS)
    place = f" {city}" if rng.random() < 0.3 else ""
    return f"{kind} {name}{place}{rng.choice(FRENCH_FORMS)}"


def person_name(rng):
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def new_ices(rng, count, taken):
    """`count` ICEs not in `taken`: a 9-digit company number, establishment 0000 (the head
    office) and two more digits, as real ICEs are laid out."""
    ices = []
    while len(ices) < count:
        ice = f"{rng.randrange(1, 10**9):09d}0000{rng.randrange(100):02d}"
        if ice not in taken:
            taken.add(ice)
            ices.append(ice)
    return ices


def company_fields(rng, ice):
    """The fields of one company, its lead's first and last names, and its digital propensity
    (0 to 1)."""
    region = weighted(rng, {region: share for region, (share, _cities) in REGIONS.items()})
    city = rng.choice(REGIONS[region][1])
    sector = weighted(rng, SECTORS)
    size_band = weighted(rng, SIZES)
    lead_first, lead_last = person_name(rng)
    fields = {
        "ice": ice,
        "name": company_name(rng, sector, city),
        "sector": sector,
        "secondary_sector": weighted(rng, SECTORS) if rng.random() < 0.15 else "",
        "size_band": size_band,
        "region": region,
        "city": city,
        "founded_year": rng.randint(1970, 2025),
        "lead_email": lead_email(ice),
        "lead_name": f"{lead_first} {lead_last}",
    }
    propensity = min(0.95, max(0.05, rng.gauss(PROPENSITY[size_band], 0.14)))
    return fields, (lead_first, lead_last), propensity


def lead_email(ice):
    return f"dirigeant.{ice}@{EMAIL_DOMAIN}"


def employee_email(ice, number):
    return f"salarie{number}.{ice}@{EMAIL_DOMAIN}"


def coach_email(first_ice, number):
    """A coach of the programme whose first company has `first_ice`: unique to the programme,
    and the same for the same seed."""
    return f"coach{number}.{first_ice}@{EMAIL_DOMAIN}"
