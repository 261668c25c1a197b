"""StatLine-shaped metadata in CBS's own conventions, not in the demo's.

The ten Veilig Thuis tables with their real ids and titles, small (a few
regions and periods), in the ways StatLine differs from the demo generator:

- category keys padded to one width ("T001038 ", "A048201 "), region keys to 6;
- category and topic titles with trailing spaces;
- CategoryGroups nested two deep (Rol/functie › Beroepsmatig › Medisch);
- the dimension's "Totaal" not first (after the role categories);
- topics under (nested) TopicGroups;
- period status "Nader voorlopig" next to "Voorlopig" and "Definitief";
- Dutch characters (Súdwest-Fryslân, Financiële problemen, Geïsoleerd);
- multi-answer breakdowns told by a group description only ("Aanvullende
  informatie") or by the figures only ("Aard geweld", the outcomes per form);
- a total titled "Totaal mannen en vrouwen" on a fourth category dimension
  (84855NED), an unknown region prefix (CR01 in 84854NED);
- `revision=2` moves categories between groups, as a CBS revision may.

Values: a base per region, period and topic times a fraction per category (per
dimension), rounded to multiples of 5; parts of an exclusive breakdown divide
their parent, parts of a multi-answer breakdown add up to more.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from tests.statline_samples import _product
from vtdata.source.snapshot import TableSnapshot

PERIODS = [
    ("2021HJ01", "2021 1e halfjaar", "Definitief"),
    ("2021HJ02", "2021 2e halfjaar", "Definitief"),
    ("2021JJ00", "2021", "Definitief"),
    ("2022HJ01", "2022 1e halfjaar", "Definitief"),
    ("2022HJ02", "2022 2e halfjaar", "Definitief"),
    ("2022JJ00", "2022", "Definitief"),
    ("2023HJ01", "2023 1e halfjaar", "Definitief"),
    ("2023HJ02", "2023 2e halfjaar", "Definitief"),
    ("2023JJ00", "2023", "Definitief"),
    ("2024HJ01", "2024 1e halfjaar*", "Nader voorlopig"),
    ("2024HJ02", "2024 2e halfjaar*", "Voorlopig"),
    ("2024JJ00", "2024*", "Voorlopig"),
]

# code, title, base count per half year
NL = ("NL01", "Nederland", 60000)
REGIO = [
    NL,
    ("PV21", "Friesland (PV)", 2200),
    ("PV27", "Noord-Holland (PV)", 9800),
    ("PV28", "Zuid-Holland (PV)", 12500),
    ("GM0363", "Amsterdam (gemeente)", 4300),
    ("GM0599", "Rotterdam (gemeente)", 3900),
    ("GM1900", "Súdwest-Fryslân (gemeente)", 420),
]
VT_REGIONS = [
    NL,
    ("VT01", "Amsterdam-Amstelland (VT)", 5200),
    ("VT04", "Friesland (VT)", 2200),
    ("VT18", "Rotterdam-Rijnmond (VT)", 5600),
]
ALL_REGIONS = REGIO + VT_REGIONS[1:]


@dataclass
class Cat:
    key: str
    title: str
    frac: float  # of the dimension's grand total
    group: int | None = None


@dataclass
class Dim:
    key: str
    title: str
    cats: list[Cat]
    groups: list[dict] = field(default_factory=list)  # ID, Title, Description, ParentID


@dataclass
class Topic:
    key: str
    title: str
    frac: float
    unit: str = "aantal"
    group: int | None = None  # index into the table's topic groups


def _group(gid: int, title: str, parent: int | None = None, description: str | None = None) -> dict:
    return {"ID": gid, "Title": title, "Description": description, "ParentID": parent}


def kenmerken(revision: int = 1) -> Dim:
    """84848/84849NED: roles (groups two deep), organisations, duration; 'Totaal' not first."""
    medisch = 3
    verpleegkundige_group = medisch if revision == 1 else 2  # moved up one group in revision 2
    duur_onbekend_group = 5 if revision == 1 else None  # moved out of its group in revision 2
    cats = [
        Cat("A048201", "Niet beroepsmatig totaal", 0.20, 1),
        Cat("A048202", "Niet beroepsmatig: betrokkene zelf ", 0.08, 1),
        Cat("A048203", "Niet beroepsmatig: familielid", 0.07, 1),
        Cat("A048204", "Niet beroepsmatig: anders ", 0.05, 1),
        Cat("A048205", "Beroepsmatig totaal", 0.80, 1),
        Cat("A048206", "Beroep: politie", 0.40, 2),
        Cat("A048207", "Beroep: medisch: totaal ", 0.15, medisch),
        Cat("A048208", "Beroep: medisch: huisarts", 0.09, medisch),
        Cat("A048209", "Beroep: medisch: verpleegkundige ", 0.06, verpleegkundige_group),
        Cat("A048210", "Beroep: onderwijs", 0.12, 2),
        Cat("A048211", "Beroep: anders", 0.13, 2),
        Cat("T001038", "Totaal", 1.0, None),
        Cat("A048212", "Gezondheidszorg: totaal", 0.20, 4),
        Cat("A048213", "Justitie en veiligheid: totaal", 0.42, 4),
        Cat("A048214", "Jeugdzorg: totaal", 0.08, 4),
        Cat("A048215", "Andere organisatie: anders", 0.10, 4),
        Cat("A048216", "Korter dan 6 maanden", 0.30, 5),
        Cat("A048217", "6 maanden tot 2 jaar", 0.25, 5),
        Cat("A048218", "2 jaar of langer", 0.30, 5),
        Cat("A048219", "Duur onbekend", 0.15, duur_onbekend_group),
    ]
    groups = [
        _group(1, "Rol/functie adviesvrager/melder "),
        _group(2, "Beroepsmatig", 1),
        _group(3, "Medisch", 2),
        _group(4, "Organisatie adviesvrager/melder", description="Organisatie van de beroepsmatige adviesvrager/melder."),
        _group(5, "Duur geweld"),
    ]
    return Dim("KenmerkenAdviezenMeldingen", "Kenmerken adviezen/meldingen", cats, groups)


def aard() -> Dim:
    """84850/84851NED: the forms add up to more than the total (several forms per case), by the figures only."""
    cats = [
        Cat("T001038", "Totaal", 1.0),
        Cat("A048401", "Kindermishandeling: totaal", 0.50, 1),
        Cat("A048402", "Kindermishandeling: lichamelijk", 0.20, 1),
        Cat("A048403", "Kindermishandeling: psychisch", 0.25, 1),
        Cat("A048404", "Kindermishandeling: getuige van huiselijk geweld", 0.30, 1),
        Cat("A048405", "Partnergeweld", 0.45, 1),
        Cat("A048406", "Ex-partnergeweld ", 0.15, 1),
        Cat("A048407", "Ouderenmishandeling", 0.05, 1),
        Cat("A048408", "Eergerelateerd geweld", 0.02, 1),
        Cat("A048409", "Problematische scheiding", 0.20, 2),
        Cat("A048410", "Financiële problemen", 0.09, 2),
        Cat("A048411", "Geïsoleerd gezin", 0.06, 2),
        Cat("A048412", "Verslavingsproblematiek", 0.12, 2),
    ]
    groups = [
        _group(1, "Aard geweld"),
        _group(2, "Aanvullende informatie", description="Meerdere antwoorden mogelijk per advies of melding."),
    ]
    return Dim("AardGeweldAanvullendeInformatie", "Aard geweld, aanvullende informatie", cats, groups)


def uitkomsten() -> Dim:
    """84853NED: outcomes per form add up to more than the investigations (one may cover several forms)."""
    cats = [Cat("T001038", "Totaal afgeronde onderzoeken", 1.0), Cat("A048601", "Niet voortijdig afgesloten totaal", 0.85)]
    number = 602
    for form, frac in (("Kindermishandeling", 0.55), ("Partnergeweld", 0.40), ("Geweld tegen ouders", 0.10)):
        for outcome, share in (("bevestigd", 0.5), ("niet bevestigd", 0.3), ("weerlegd", 0.2)):
            cats.append(Cat(f"A048{number}", f"{form}: {outcome}", frac * share))
            number += 1
    cats.append(Cat(f"A048{number}", "Voortijdig afgesloten", 0.15))
    return Dim("UitkomstenOnderzoek", "Uitkomsten onderzoek", cats)


def _flat(key: str, title: str, total_title: str, parts: list[tuple[str, float]], start: int) -> Dim:
    cats = [Cat("T001038", total_title, 1.0)]
    cats += [Cat(f"{start + i}", t, f) for i, (t, f) in enumerate(parts)]
    return Dim(key, title, cats)


TAXATIE = _flat("Veiligheidstaxatie", "Veiligheidstaxatie", "Totaal ", [
    ("Acute onveiligheid ", 0.08), ("Structurele onveiligheid", 0.32), ("Geen acute of structurele onveiligheid", 0.50),
    ("Onbekend/niet getaxeerd", 0.10)], 1012601)
BEOORDELING = _flat("Veiligheidsbeoordeling", "Veiligheidsbeoordeling", "Totaal", [
    ("Vervolgstappen beleggen bij Veilig Thuis", 0.30), ("Overdracht", 0.35), ("Geen vervolgstappen nodig", 0.25),
    ("Nog niet beoordeeld", 0.10)], 1012651)
ORGANISATIE = _flat("OrganisatieVanOverdracht", "Organisatie van overdracht", "Totaal", [
    ("Lokaal team/wijkteam", 0.45), ("Geestelijke gezondheidszorg (GGZ)", 0.10), ("Jeugdbescherming", 0.15),
    ("Raad voor de Kinderbescherming", 0.10), ("Overige organisaties", 0.20)], 2016501)
TYPE_HULP = _flat("TypeHulp", "Type hulp", "Totaal", [("Vrijwillige hulp", 0.75), ("Hulp in gedwongen kader", 0.25)], 2016601)
LEEFTIJD = _flat("Leeftijd", "Leeftijd", "Totaal alle leeftijden", [("Jonger dan 18 jaar", 0.45), ("18 jaar of ouder", 0.55)], 10000)
GESLACHT = _flat("Geslacht", "Geslacht", "Totaal mannen en vrouwen", [("Mannen", 0.4), ("Vrouwen", 0.6)], 3000)


KERNCIJFERS_GROUPS = ["Adviezen", "Meldingen", "Onderzoeken", "Overdrachten en monitoring"]
KERNCIJFERS = [
    Topic("GestarteAdviezen_1", "Gestarte adviezen ", 1.2, group=0),
    Topic("AfgerondeAdviezen_2", "Afgeronde adviezen", 1.18, group=0),
    Topic("OntvangenMeldingen_3", "Ontvangen meldingen", 1.0, group=1),
    Topic("AfgerondeMeldingen_4", "Afgeronde meldingen", 0.98, group=1),
    Topic("GestarteOnderzoeken_5", "Gestarte onderzoeken", 0.06, group=2),
    Topic("AfgerondeOnderzoeken_6", "Afgeronde onderzoeken", 0.058, group=2),
    Topic("Overdrachten_7", "Overdrachten", 0.30, group=3),
    Topic("GestarteMonitoring_8", "Gestarte monitoring", 0.12, group=3),
]
BETROKKENHEID_GROUPS = [("Ontvangen meldingen", None), ("Vervolgmelding tijdens betrokkenheid VT", 0),
                        ("Ontvangen meldingen (relatief)", None), ("Vervolgmelding tijdens betrokkenheid VT", 2)]
BETROKKENHEID = [
    Topic("TotaalOntvangenMeldingen_1", "Totaal ontvangen meldingen", 1.0, group=0),
    Topic("EersteMelding_2", "Eerste melding", 0.34, group=0),
    Topic("Hermelding_3", "Hermelding ", 0.38, group=0),
    Topic("Totaal_4", "Totaal", 0.28, group=1),
    Topic("TijdensVeiligheidsbeoordeling_5", "Tijdens veiligheidsbeoordeling", 0.08, group=1),
    Topic("NaVeiligheidsbeoordeling_6", "Na veiligheidsbeoordeling", 0.10, group=1),
    Topic("TijdensMonitoringDoorVT_7", "Tijdens monitoring door VT", 0.10, group=1),
    Topic("EersteMelding_8", "Eerste melding", 34.0, "%", group=2),
    Topic("Hermelding_9", "Hermelding", 38.0, "%", group=2),
    Topic("Totaal_10", "Totaal", 28.0, "%", group=3),
]
ADVIEZEN_MELDINGEN = [Topic("GestarteAdviezen_1", "Gestarte adviezen", 1.2), Topic("OntvangenMeldingen_2", "Ontvangen meldingen", 1.0)]

TITLES = {
    "84847NED": "Huiselijk geweld; kerncijfers Veilig Thuis, regio",
    "84848NED": "Huiselijk geweld; rol/functie, organisatie, duur geweld, Veilig Thuis-regio",
    "84849NED": "Huiselijk geweld; rol/functie, organisatie, duur geweld, regio",
    "84850NED": "Huiselijk geweld; aard geweld, aanvullende informatie, Veilig Thuis-regio",
    "84851NED": "Huiselijk geweld; aard geweld, aanvullende informatie, regio",
    "84852NED": "Huiselijk geweld; veiligheidsbeoordeling en -taxatie Veilig Thuis, regio",
    "84853NED": "Huiselijk geweld; uitkomsten onderzoeken Veilig Thuis, Veilig Thuis-regio",
    "84854NED": "Huiselijk geweld; organisatie van overdracht, type hulp, Veilig Thuis-regio",
    "84855NED": "Huiselijk geweld; organisatie van overdracht, type hulp, regio",
    "85361NED": "Huiselijk geweld; meldingen naar eerdere betrokkenheid Veilig Thuis, regio",
}


def cbs_snapshots(revision: int = 1) -> list[TableSnapshot]:
    """The ten tables in CBS's conventions (`revision=2`: categories moved between groups)."""
    unknown_region = ("CR01", "Caribisch Nederland (CR)", 150)
    spec = {
        "84847NED": ([], KERNCIJFERS, KERNCIJFERS_GROUPS, ALL_REGIONS),
        "84848NED": ([kenmerken(revision)], ADVIEZEN_MELDINGEN, [], VT_REGIONS),
        "84849NED": ([kenmerken(revision)], ADVIEZEN_MELDINGEN, [], REGIO),
        "84850NED": ([aard()], ADVIEZEN_MELDINGEN, [], VT_REGIONS),
        "84851NED": ([aard()], ADVIEZEN_MELDINGEN, [], REGIO),
        "84852NED": ([TAXATIE, BEOORDELING], [Topic("OntvangenMeldingen_1", "Ontvangen meldingen", 1.0)], [], ALL_REGIONS),
        "84853NED": ([uitkomsten()], [Topic("AfgerondeDienstenOnderzoek_1", "Afgeronde diensten onderzoek", 0.06)], [], VT_REGIONS),
        "84854NED": ([ORGANISATIE, TYPE_HULP], [Topic("Overdrachten_1", "Overdrachten", 0.3)], [], VT_REGIONS + [unknown_region]),
        "84855NED": ([ORGANISATIE, TYPE_HULP, LEEFTIJD, GESLACHT], [Topic("Overdrachten_1", "Overdrachten", 0.3)], [], REGIO),
        "85361NED": ([], BETROKKENHEID, BETROKKENHEID_GROUPS, ALL_REGIONS),
    }
    return [_snapshot(tid, *args) for tid, args in spec.items()]


def _pad(keys: list[str]) -> list[str]:
    """StatLine pads the keys of a dimension to one width, here one more than the longest."""
    width = max(len(k) for k in keys) + 1
    return [k.ljust(width) for k in keys]


def _snapshot(table_id: str, dims: list[Dim], topics: list[Topic], topic_groups: list, regions: list) -> TableSnapshot:
    rng = random.Random(table_id)
    props: list[dict] = []

    def prop(type_: str, parent=None, **fields) -> int:
        pid = len(props)
        props.append({"odata.type": f"Cbs.OData.{type_}", "ID": pid, "Position": pid, "ParentID": parent, "Type": type_, **fields})
        return pid

    for dim in dims:
        prop("Dimension", Key=dim.key, Title=dim.title, Description=None)
    prop("GeoDimension", Key="RegioS", Title="Regio's", Description=None)
    prop("TimeDimension", Key="Perioden", Title="Perioden", Description="* = voorlopige cijfers, ** = nader voorlopige cijfers")
    group_ids: list[int] = []
    for entry in topic_groups:
        title, parent = (entry, None) if isinstance(entry, str) else entry
        group_ids.append(prop("TopicGroup", group_ids[parent] if parent is not None else None, Key="", Title=title, Description=None))
    for t in topics:
        relative = t.unit == "%"
        prop("Topic", group_ids[t.group] if t.group is not None else None, Key=t.key, Title=t.title,
             Description=f"{t.title.strip()} in de verslagperiode.", Datatype="Double" if relative else "Long",
             Unit=t.unit, Decimals=1 if relative else 0, Default="None", PresentationType="Relative" if relative else "Absolute")

    entities: dict[str, list[dict]] = {
        "TableInfos": [{
            "ID": 0, "Identifier": table_id, "Title": TITLES[table_id], "ShortTitle": TITLES[table_id].split("; ")[1][:60],
            "Summary": "Veilig Thuis", "ShortDescription": "Cijfers van Veilig Thuis.", "Modified": "2025-10-24T02:00:00",
            "MetaDataModified": "2025-10-24T02:00:00", "ReasonDelivery": "Actualisering", "Frequency": "Perhalfjaar",
            "Period": "2021-2024", "Language": "nl", "Catalog": "CBS", "Source": "CBS.",
            "Description": "INHOUDSOPGAVE\n1. Toelichting\n2. Definities en verklaring van symbolen",
        }],
        "DataProperties": props,
        "CategoryGroups": [dict(g, DimensionKey=d.key) for d in dims for g in d.groups],
    }
    dim_keys: dict[str, list[str]] = {}
    for dim in dims:
        keys = _pad([c.key for c in dim.cats])
        entities[dim.key] = [{"Key": k, "Title": c.title, "Description": None, "CategoryGroupID": c.group}
                             for k, c in zip(keys, dim.cats)]
        dim_keys[dim.key] = keys
    entities["RegioS"] = [{"Key": code.ljust(6), "Title": title, "Description": None, "CategoryGroupID": None}
                          for code, title, _ in regions]
    entities["Perioden"] = [{"Key": code, "Title": title, "Description": None, "Status": status} for code, title, status in PERIODS]

    fracs = [[c.frac for c in d.cats] for d in dims]
    rows: list[dict] = []
    for code, _, base in regions:
        for period, _, _ in PERIODS:
            scale = 2 if period.endswith("JJ00") else 1
            growth = 1 + 0.03 * (int(period[:4]) - 2021)
            for combo in _product([list(range(len(d.cats))) for d in dims]):
                row = {"ID": len(rows)}
                weight = 1.0
                for d, i, f in zip(dims, combo, fracs):
                    row[d.key] = dim_keys[d.key][i]
                    weight *= f[i]
                row["RegioS"] = code.ljust(6)
                row["Perioden"] = period
                for t in topics:
                    if t.unit == "%":
                        row[t.key] = None if code != "NL01" and rng.random() < 0.05 else round(t.frac * rng.uniform(0.95, 1.05), 1)
                        continue
                    exact = base * scale * growth * t.frac * weight
                    value = 5 * round(exact / 5)
                    row[t.key] = None if (code != "NL01" and (exact < 12 or rng.random() < 0.04)) else value
                rows.append(row)
    entities["TypedDataSet"] = rows
    return TableSnapshot(table_id, entities)

