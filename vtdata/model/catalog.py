"""The declarative registry of Veilig Thuis tables and protocol themes.

Only table ids and presentation choices live here. Measures, categories, titles
and units are read from each table's own metadata (see `vtdata.storage.queries`), so a
table that CBS revises keeps working.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STATLINE_TABLE_URL = "https://opendata.cbs.nl/#/CBS/nl/dataset/{table_id}/table"


@dataclass(frozen=True)
class StatTable:
    id: str
    title: str  # as StatLine titles it; the loaded metadata is authoritative
    scope: str  # "regio" (NL, PV, GM, ...) or "vt-regio" (NL, VT), informative only

    @property
    def url(self) -> str:
        return STATLINE_TABLE_URL.format(table_id=self.id)


TABLES: dict[str, StatTable] = {
    t.id: t
    for t in (
        StatTable("84847NED", "Huiselijk geweld; kerncijfers Veilig Thuis, regio", "regio"),
        StatTable("84848NED", "Huiselijk geweld; rol/functie, organisatie, duur geweld, Veilig Thuis-regio", "vt-regio"),
        StatTable("84849NED", "Huiselijk geweld; rol/functie, organisatie, duur geweld, regio", "regio"),
        StatTable("84850NED", "Huiselijk geweld; aard geweld, aanvullende informatie, Veilig Thuis-regio", "vt-regio"),
        StatTable("84851NED", "Huiselijk geweld; aard geweld, aanvullende informatie, regio", "regio"),
        StatTable("84852NED", "Huiselijk geweld; veiligheidsbeoordeling en -taxatie Veilig Thuis, regio", "regio"),
        StatTable("84853NED", "Huiselijk geweld; uitkomsten onderzoeken Veilig Thuis, Veilig Thuis-regio", "vt-regio"),
        StatTable("84854NED", "Huiselijk geweld; organisatie van overdracht, type hulp, Veilig Thuis-regio", "vt-regio"),
        StatTable("84855NED", "Huiselijk geweld; organisatie van overdracht, type hulp, regio", "regio"),
        StatTable("85361NED", "Huiselijk geweld; meldingen naar eerdere betrokkenheid Veilig Thuis, regio", "regio"),
    )
}


# Population for rates per 1.000 inwoners: refreshed with the tables above, but
# not one of them (a refresh without it still publishes; see vtdata.storage.population).
POPULATION_TABLE = StatTable(
    "03759ned", "Bevolking op 1 januari en gemiddeld; geslacht, leeftijd en regio", "regio"
)

# Tables with a role outside their own theme page (the only table ids code may name).
KERNCIJFERS_TABLE = "84847NED"  # headline figures per region and period; StatLine reachability probe
VEILIGHEID_TABLE = "84852NED"  # veiligheidstaxatie: the home page's acute-onveiligheid shares


@dataclass(frozen=True)
class Theme:
    """One theme of the handelingsprotocol and the tables that hold it.

    `tables` is in order of preference: for a region, the first table that
    holds that region is used (gemeenten sit in the "regio" tables,
    Veilig Thuis-regio's sometimes only in the "Veilig Thuis-regio" tables).
    `category_groups` is a regular expression on StatLine category-group
    titles that selects this theme's part of a shared dimension; None keeps
    every category, and so does a category outside any group (e.g. "Totaal").
    A table without a category dimension presents its topics (measures) as
    the categories.
    """

    slug: str
    title: str
    intro: str
    tables: tuple[str, ...]
    category_groups: str | None = None
    icon: str = ":material/bar_chart:"
    # regular expression on a category title: the category the page opens with
    # (headline, map, ranking); None takes the largest exclusive part
    headline: str | None = None
    # regular expression on the title of a category or one of its parents: these are counted
    # per 1.000 minderjarigen (the violence is against children), everything else per 1.000
    # inwoners. Declared here, never guessed from words in a title: the reporter's organisation
    # "Kinderopvang" or "Jeugdzorg: totaal" is about who reports, not about a child's risk.
    per_minor: str | None = None
    # the page opens on shares, not on rates: the theme's question is a share ("welk aandeel van
    # de meldingen is acuut onveilig?")
    opens_on_share: bool = False

    def selects_group(self, group_title: str | None) -> bool:
        if self.category_groups is None or not group_title:
            return True
        return re.search(self.category_groups, group_title, re.I) is not None


THEMES: tuple[Theme, ...] = (
    Theme(
        "kerncijfers",
        "Kerncijfers",
        "Adviezen, meldingen, triage, onderzoeken, overdrachten en monitoring: de kern van het werk van Veilig Thuis.",
        (KERNCIJFERS_TABLE,),
        icon=":material/key:",
    ),
    Theme(
        "eerdere-betrokkenheid",
        "Eerdere betrokkenheid",
        "Meldingen naar eerdere betrokkenheid van Veilig Thuis: eerste meldingen, hermeldingen en vervolgmeldingen.",
        ("85361NED",),
        icon=":material/history:",
    ),
    Theme(
        "rol-en-organisatie",
        "Rol/functie en organisatie",
        "Wie vraagt advies of meldt: de rol of functie van de adviesvrager of melder en de organisatie waar die werkt.",
        ("84849NED", "84848NED"),
        category_groups=r"rol|functie|organisatie|beroep",
        icon=":material/badge:",
    ),
    Theme(
        "duur-geweld",
        "Duur van het geweld",
        "Hoe lang het geweld of de mishandeling al duurde toen Veilig Thuis werd ingeschakeld.",
        ("84849NED", "84848NED"),
        category_groups=r"duur",
        icon=":material/schedule:",
    ),
    Theme(
        "aard-geweld",
        "Aard van het geweld",
        "Om welke vorm van huiselijk geweld of kindermishandeling het gaat, met aanvullende informatie over de situatie.",
        ("84851NED", "84850NED"),
        icon=":material/category:",
        per_minor=r"^kindermishandeling",
    ),
    Theme(
        "veiligheid",
        "Veiligheidsbeoordeling en -taxatie",
        "Hoe Veilig Thuis de veiligheid taxeert (acute en structurele onveiligheid) en welke vervolgstappen het na de veiligheidsbeoordeling kiest.",
        (VEILIGHEID_TABLE,),
        icon=":material/health_and_safety:",
        headline=r"^acute onveilig",
        opens_on_share=True,
    ),
    Theme(
        "uitkomsten-onderzoek",
        "Uitkomsten onderzoeken",
        "Wat de onderzoeken van Veilig Thuis uitwijzen: bevestigd, niet bevestigd of weerlegd, per vorm van geweld.",
        ("84853NED",),
        icon=":material/fact_check:",
        per_minor=r"^kindermishandeling",
    ),
    Theme(
        "overdrachten",
        "Overdrachten",
        "Aan welke organisatie Veilig Thuis overdraagt (bijvoorbeeld wijkteam, GGZ of jeugdbescherming) en welk type hulp volgt.",
        ("84855NED", "84854NED"),
        icon=":material/move_up:",
        headline=r"\bggz\b|geestelijke gezondheidszorg",
    ),
)

THEMES_BY_SLUG: dict[str, Theme] = {t.slug: t for t in THEMES}

# Region levels, by the prefix of the StatLine RegioS key.
REGION_LEVELS: dict[str, str] = {
    "NL": "Nederland",
    "LD": "Landsdeel",
    "PV": "Provincie",
    "VT": "Veilig Thuis-regio",
    "GM": "Gemeente",
}


def region_level(code: str) -> str | None:
    """The level prefix of a region code (GM0363 -> GM), None when unknown."""
    prefix = code.strip()[:2].upper()
    return prefix if prefix in REGION_LEVELS else None


def theme(slug: str) -> Theme:
    return THEMES_BY_SLUG[slug]
