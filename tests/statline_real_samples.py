"""StatLine-shaped tables with the titles checked on the real tables (December 2026).

The category titles, their order and the proportions of the values follow the
shared notes on the real structure (`statline/real_structure.md` of the design
notes): the 37 categories of 84848/84849NED with three breakdowns of one total
(rol/functie, organisatie incl. "Niet van toepassing", duur), the aard
categories of 84851NED that add up to more than the total, 84850NED's two
dimensions, the topic tree of 85361NED with two topics titled "Totaal", and
Landsdelen (LD) rows in every table. Keys were not visible on StatLine: the
ones here are made up in CBS's style.

Whether 84848/84849NED carry CategoryGroups is unknown, so `real_snapshots`
builds both (`groups=True` / `False`). The other five tables come from
`tests/statline_cbs_samples.py`.

Values: the fractions of the kenmerken categories are those of Leeuwarden,
2020, gestarte adviezen (1385 in all), so each breakdown adds up to the total
as on StatLine; small fractions become suppressed cells.
"""

from __future__ import annotations

from tests import statline_cbs_samples as cbs
from tests.statline_cbs_samples import Cat, Dim, Topic, _group
from vtdata.source.snapshot import TableSnapshot

LANDSDELEN = [("LD01", "Noord-Nederland (LD)", 4100), ("LD03", "West-Nederland (LD)", 27000)]
REGIO = [*cbs.REGIO, ("GM0080", "Leeuwarden (gemeente)", 700), *LANDSDELEN]
# How StatLine codes the Veilig Thuis-regio formed in 2023 is unknown; here not as the boundaries' VT27.
OOST_BRABANT = ("VT28", "Oost-Brabant (VT)", 3000)
VT_REGIONS = [*cbs.VT_REGIONS, OOST_BRABANT, *LANDSDELEN]
ALL_REGIONS = REGIO + cbs.VT_REGIONS[1:]

ROL, ORGANISATIE, DUUR = 1, 2, 3
LEEUWARDEN_TOTAL = 1385.0

# (title, Leeuwarden 2020 value, breakdown); a cell suppressed there has 0 or 1 here, so that each
# breakdown adds up to the total within CBS's rounding, as the real row does
KENMERKEN = [
    ("Totaal", 1385, None),
    ("Niet beroepsmatig totaal", 610, ROL),
    ("Beroepsmatig totaal", 780, ROL),
    ("Beroep: onderwijs: totaal", 80, ROL),
    ("Beroep: kinderopvang: totaal", 5, ROL),
    ("Beroep: medisch totaal", 70, ROL),
    ("Beroep: medisch: verpleegkundige", 5, ROL),
    ("Beroep: psychologen e.a.: totaal", 365, ROL),
    ("Beroep: paramedisch: totaal", 5, ROL),
    ("Beroep: justitie: totaal", 55, ROL),
    ("Beroep: justitie: politieagent", 35, ROL),
    ("Beroep: justitie: officier van justitie", 0, ROL),
    ("Beroep: justitie: anders", 20, ROL),
    ("Beroepsmatig: anders", 195, ROL),
    ("Rol/functie onbekend", 0, ROL),
    ("Gezondheidszorg: totaal", 85, ORGANISATIE),
    ("Geestelijke gezondheidszorg: totaal", 75, ORGANISATIE),
    ("Kinderopvang", 10, ORGANISATIE),
    ("Onderwijs: totaal", 80, ORGANISATIE),
    ("Bureau Leerplicht", 1, ORGANISATIE),
    ("Jeugdzorg: totaal", 230, ORGANISATIE),
    ("Justitie en veiligheid: totaal", 55, ORGANISATIE),
    ("J en V: politie: totaal", 35, ORGANISATIE),
    ("J en V: openbaar ministerie", 3, ORGANISATIE),
    ("J en V: reclassering", 2, ORGANISATIE),
    ("J en V: anders", 15, ORGANISATIE),
    ("Anders: Veilig Thuis: andere regio", 20, ORGANISATIE),
    ("Anders: VT: inzet regionaal maatwerk", 1, ORGANISATIE),
    ("Andere organisatie: anders", 225, ORGANISATIE),
    ("Niet van toepassing", 610, ORGANISATIE),
    ("Onbekend", 0, ORGANISATIE),
    ("Duur geweld: niet langer dan 1 week", 305, DUUR),
    ("Duur geweld: > 1 week, < 1 maand", 220, DUUR),
    ("Duur geweld: > 1 maand, < 6 maanden", 360, DUUR),
    ("Duur geweld: > 6 maanden, < 1 jaar", 235, DUUR),
    ("Duur geweld: > 1 jaar,< 5 jaar", 205, DUUR),
    ("Duur geweld: langer dan 5 jaar", 60, DUUR),
]

ORGANISATIE_TITLES = [t for t, _, b in KENMERKEN if b == ORGANISATIE]
DUUR_TITLES = [t for t, _, b in KENMERKEN if b == DUUR]
ROL_TITLES = [t for t, _, b in KENMERKEN if b == ROL]


def kenmerken(groups: bool) -> Dim:
    """84848/84849NED "Kenmerken adviezen/meldingen": 37 categories, three breakdowns of one total."""
    cats = [
        Cat("T001038" if i == 0 else f"A0{49000 + i}", title, value / LEEUWARDEN_TOTAL, breakdown if groups else None)
        for i, (title, value, breakdown) in enumerate(KENMERKEN)
    ]
    group_rows = [
        _group(ROL, "Rol/functie adviesvrager/melder"),
        _group(ORGANISATIE, "Organisatie adviesvrager/melder"),
        _group(DUUR, "Duur geweld"),
    ] if groups else []
    return Dim("KenmerkenAdviezenMeldingen", "Kenmerken adviezen/meldingen", cats, group_rows)


# 84851NED: forms of violence add up to more than the total (3390 against 2960 in Drenthe).
AARD = [
    ("Totaal", 1.0),
    ("Kindermishandeling", 0.45),
    ("Geweld tegen ouders", 0.05),
    ("(Ex-)Partnergeweld", 0.40),
    ("Ouderenmishandeling (ouder dan 65 jaar)", 0.04),
    ("Huiselijk geweld overig", 0.08),
    ("Andere problematiek", 0.06),
    ("Geen kindermishandeling/huiselijk geweld", 0.04),
    ("Onbekend", 0.025),
]
AARD_TITLES = [t for t, _ in AARD]


def aard_regio() -> Dim:
    cats = [Cat("T001038" if i == 0 else f"A0{50000 + i}", t, f) for i, (t, f) in enumerate(AARD)]
    return Dim("KenmerkenAdviezenMeldingenDiensten", "Kenmerken adviezen, meldingen, diensten", cats)


def aard_vt() -> tuple[Dim, Dim]:
    """84850NED: two category dimensions."""
    aard = [Cat("T001038" if i == 0 else f"A0{50100 + i}", t, f) for i, (t, f) in enumerate(AARD)]
    extra = [("Totaal", 1.0), ("Problematische scheiding", 0.20), ("Financiële problemen", 0.09),
             ("Verslavingsproblematiek", 0.12), ("Psychiatrische problematiek", 0.15)]
    aanvullend = [Cat("T001038" if i == 0 else f"A0{50200 + i}", t, f) for i, (t, f) in enumerate(extra)]
    return (Dim("AardVanHetGeweld", "Aard van het geweld", aard),
            Dim("AanvullendeInformatie", "Aanvullende informatie", aanvullend))


# 85361NED: group index 0 "Ontvangen meldingen" (1: Hermelding, 2: Vervolgmelding) and 3 "(relatief)" (4, 5).
BETROKKENHEID_GROUPS = [
    ("Ontvangen meldingen", None), ("Hermelding", 0), ("Vervolgmelding tijdens betrokkenheid VT", 0),
    ("Ontvangen meldingen (relatief)", None), ("Hermelding", 3), ("Vervolgmelding tijdens betrokkenheid VT", 3),
]


def _betrokkenheid_topics(start: int, unit: str, groups: tuple[int, int, int]) -> list[Topic]:
    top, her, vervolg = groups
    scale = 100.0 if unit == "%" else 1.0
    rows = [
        ("OntvangenMeldingenTotaal", "Ontvangen meldingen, totaal", 1.0, top),
        ("EersteMeldingGeenBetrokkenenBekend", "1e melding, geen betrokkenen bekend VT", 0.34, top),
        ("TotaalHermelding", "Totaal", 0.38, her),
        ("MeerdereBetrokkenenAlBekend", "Meerdere betrokkenen al bekend bij VT", 0.15, her),
        ("EenBetrokkeneAlBekend", "Eén betrokkene al bekend bij VT", 0.23, her),
        ("TotaalVervolgmelding", "Totaal", 0.27, vervolg),
        ("TijdensVeiligheidsbeoordeling", "Tijdens veiligheidsbeoordeling", 0.08, vervolg),
        ("NaVeiligheidsbeoordeling", "Na veiligheidsbeoordeling", 0.10, vervolg),
        ("TijdensMonitoringDoorVT", "Tijdens monitoring door VT", 0.09, vervolg),
        ("MeldingNietIngedeeld", "Melding niet ingedeeld", 0.01, top),
    ]
    return [Topic(f"{key}_{start + i}", title, frac * scale, unit, group=g) for i, (key, title, frac, g) in enumerate(rows)]


BETROKKENHEID = _betrokkenheid_topics(1, "aantal", (0, 1, 2)) + _betrokkenheid_topics(11, "%", (3, 4, 5))

ADVIEZEN_MELDINGEN = [
    Topic("GestarteAdviezen_1", "Gestarte adviezen", 1.2, group=0),
    Topic("OntvangenMeldingen_2", "Ontvangen meldingen", 1.0, group=0),
    Topic("CasussenMetOntvangenMeldingen_3", "Casussen met ontvangen melding(en)", 0.9, group=0),
]
ADVIEZEN_GROUPS = ["Adviezen, meldingen en diensten"]


def real_snapshots(groups: bool = False) -> list[TableSnapshot]:
    """All ten tables: the five of the real structure, the rest in CBS's conventions; LD rows everywhere."""
    real = {
        "84848NED": ([kenmerken(groups)], ADVIEZEN_MELDINGEN, ADVIEZEN_GROUPS, VT_REGIONS),
        "84849NED": ([kenmerken(groups)], ADVIEZEN_MELDINGEN, ADVIEZEN_GROUPS, REGIO),
        "84850NED": (list(aard_vt()), ADVIEZEN_MELDINGEN, ADVIEZEN_GROUPS, VT_REGIONS),
        "84851NED": ([aard_regio()], ADVIEZEN_MELDINGEN, ADVIEZEN_GROUPS, REGIO),
        "85361NED": ([], BETROKKENHEID, BETROKKENHEID_GROUPS, ALL_REGIONS),
    }
    out = [cbs._snapshot(tid, *args) for tid, args in real.items()]
    out += [s for s in cbs.cbs_snapshots() if s.table_id not in real]
    return out
