"""Small but realistic StatLine snapshots for tests and the benchmark.

The shape follows what StatLine's OData v3 feed sends for the Veilig Thuis
tables: RegioS keys padded to 6 characters, Perioden with a Status, a category
dimension with category groups, topics under a TopicGroup, and suppressed cells
as ``null`` in the TypedDataSet. Values are deterministic (seeded) and rounded
to multiples of 5, like the published figures.
"""

from __future__ import annotations

import math
import random

from vtdata.source.snapshot import TableSnapshot

REGIONS = [
    ("NL01", "Nederland"),
    ("PV27", "Noord-Holland (PV)"),
    ("PV28", "Zuid-Holland (PV)"),
    ("VT01", "Amsterdam-Amstelland (VT)"),
    ("VT18", "Rotterdam-Rijnmond (VT)"),
    ("GM0363", "Amsterdam (gemeente)"),
    ("GM0599", "Rotterdam (gemeente)"),
    ("GM0014", "Groningen (gemeente)"),
]

CATEGORIES = [
    # key, title, category group id (None = outside any group, like "Totaal")
    ("T001038", "Totaal", None),
    ("A048310", "Acute onveiligheid", 1),
    ("A048311", "Structurele onveiligheid", 1),
    ("A048312", "Geen onveiligheid", 1),
    ("A048320", "Vervolgstappen bij Veilig Thuis", 2),
    ("A048321", "Overdracht", 2),
]

CATEGORY_GROUPS = [
    {"ID": 1, "DimensionKey": "Kenmerken", "Title": "Veiligheidstaxatie", "Description": None, "ParentID": None},
    {"ID": 2, "DimensionKey": "Kenmerken", "Title": "Veiligheidsbeoordeling", "Description": None, "ParentID": None},
]


def period_codes(first_year: int, last_year: int, *, years: bool = True) -> list[str]:
    """2019HJ01, 2019HJ02, 2019JJ00, 2020HJ01, ... in StatLine order."""
    codes = []
    for year in range(first_year, last_year + 1):
        codes += [f"{year}HJ01", f"{year}HJ02"]
        if years:
            codes.append(f"{year}JJ00")
    return codes


def _period_title(code: str) -> str:
    year, kind = code[:4], code[4:]
    return {"HJ01": f"{year} 1e halfjaar", "HJ02": f"{year} 2e halfjaar"}.get(kind, year)


def region_rows(regions: list[tuple[str, str]]) -> list[dict]:
    return [
        {"Key": code.ljust(6), "Title": title, "Description": None, "CategoryGroupID": None}
        for code, title in regions
    ]


def gemeente_regions(n: int) -> list[tuple[str, str]]:
    """NL01 followed by n synthetic gemeenten GM0001.., for sized tables."""
    return [("NL01", "Nederland")] + [(f"GM{i:04d}", f"Gemeente {i} (gemeente)") for i in range(1, n + 1)]


def build_snapshot(
    table_id: str = "84852NED",
    *,
    title: str = "Huiselijk geweld; veiligheidsbeoordeling en -taxatie Veilig Thuis, regio",
    regions: list[tuple[str, str]] | None = None,
    periods: list[str] | None = None,
    categories: list[tuple[str, str, int | None]] | None = CATEGORIES,
    n_topics: int = 3,
    voorlopig: int = 2,
    suppress_rate: float = 0.15,
    modified: str = "2025-10-24T02:00:00",
    seed: int = 1,
) -> TableSnapshot:
    """A StatLine-shaped table: [Kenmerken,] RegioS, Perioden and `n_topics` topics.

    `categories=None` gives a table without a category dimension (like 85361NED).
    The last `voorlopig` periods have Status "Voorlopig".
    """
    rng = random.Random(f"{table_id}-{seed}")
    regions = REGIONS if regions is None else regions
    periods = period_codes(2019, 2024) if periods is None else periods

    props: list[dict] = []

    def prop(**fields) -> dict:
        row = {"odata.type": f"Cbs.OData.{fields['Type']}", "ID": len(props), "Position": len(props), "ParentID": None}
        row.update(fields)
        props.append(row)
        return row

    dims: list[str] = []
    if categories is not None:
        prop(Type="Dimension", Key="Kenmerken", Title="Kenmerken", Description="Kenmerken van de meldingen.")
        dims.append("Kenmerken")
    prop(Type="GeoDimension", Key="RegioS", Title="Regio's", Description="Regio-indeling.", MapYear="2024")
    prop(Type="TimeDimension", Key="Perioden", Title="Perioden", Description="Halfjaren en jaren.")
    dims += ["RegioS", "Perioden"]
    group = prop(Type="TopicGroup", Key="", Title="Meldingen", Description="Ontvangen meldingen bij Veilig Thuis.")
    topics: list[dict] = []
    for i in range(n_topics):
        if i == 0:
            key, title_, unit, datatype, decimals = "OntvangenMeldingen_1", "Ontvangen meldingen", "aantal", "Long", 0
        elif i == 1:
            key, title_, unit, datatype, decimals = "OntvangenMeldingenRelatief_2", "Ontvangen meldingen (relatief)", "%", "Double", 1
        else:
            key, title_, unit, datatype, decimals = f"Kenmerk{i + 1}_{i + 1}", f"Kenmerk {i + 1}", "aantal", "Long", 0
        topics.append(
            prop(
                Type="Topic",
                ParentID=group["ID"],
                Key=key,
                Title=title_,
                Description=f"{title_} in de verslagperiode.",
                Datatype=datatype,
                Unit=unit,
                Decimals=decimals,
                Default="Selected" if i == 0 else "None",
                PresentationType="Relative" if unit == "%" else "Absolute",
            )
        )

    entities: dict[str, list[dict]] = {
        "TableInfos": [
            {
                "ID": 1,
                "Identifier": table_id,
                "Title": title,
                "ShortTitle": title.split("; ", 1)[-1][:60],
                "ShortDescription": "Cijfers over advies en meldingen bij Veilig Thuis.",
                "Summary": "Adviezen en meldingen bij Veilig Thuis per halfjaar.",
                "Modified": modified,
                "MetaDataModified": modified,
                "ReasonDelivery": "Actualisering",
                "ExplanatoryText": "",
                "Language": "nl",
                "Catalog": "CBS",
                "Frequency": "Perhalfjaar",
                "Period": f"{periods[0][:4]}-{periods[-1][:4]}",
                "Description": "INHOUDSOPGAVE\n1. Toelichting\n2. Definities en verklaring van symbolen",
                "DefaultPresentation": "ts=1&graphtype=Table",
                "DefaultSelection": "$filter=((Perioden eq '2024HJ01'))",
                "GraphTypes": "Table,Bar,Line",
                "OutputStatus": "Regulier",
                "Source": "CBS.",
            }
        ],
        "DataProperties": props,
        "CategoryGroups": [dict(g) for g in CATEGORY_GROUPS] if categories is not None else [],
    }
    for g in entities["CategoryGroups"]:
        g["DimensionKey"] = "Kenmerken"
    if categories is not None:
        entities["Kenmerken"] = [
            {"Key": key, "Title": title_, "Description": None, "CategoryGroupID": group_id}
            for key, title_, group_id in categories
        ]
    entities["RegioS"] = region_rows(regions)
    n_voorlopig = max(0, min(voorlopig, len(periods)))
    entities["Perioden"] = [
        {
            "Key": code,
            "Title": _period_title(code),
            "Description": None,
            "Status": "Voorlopig" if i >= len(periods) - n_voorlopig else "Definitief",
        }
        for i, code in enumerate(periods)
    ]

    rows: list[dict] = []
    dim_keys = [[r["Key"] for r in entities[d]] for d in dims]
    for combo in _product(dim_keys):
        row: dict = {"ID": len(rows)}
        row.update(zip(dims, combo))
        for t in topics:
            if rng.random() < suppress_rate:
                value = None
            elif t["Datatype"] == "Double":
                value = round(rng.uniform(0, 100), 1)
            else:
                value = 5 * rng.randint(0, 400)
            row[t["Key"]] = value
        rows.append(row)
    entities["TypedDataSet"] = rows
    return TableSnapshot(table_id, entities)


def _product(lists: list[list[str]]):
    if not lists:
        yield ()
        return
    for head in lists[0]:
        for rest in _product(lists[1:]):
            yield (head, *rest)


def sample_snapshot(table_id: str = "84852NED", **kwargs) -> TableSnapshot:
    """A small table: 6 categories x 8 regions x 18 periods = 864 rows, 3 topics."""
    return build_snapshot(table_id, **kwargs)


def sample_snapshots() -> list[TableSnapshot]:
    """Two small tables: one with a category dimension, one without (like 85361NED)."""
    return [
        sample_snapshot("84852NED"),
        build_snapshot(
            "85361NED",
            title="Huiselijk geweld; meldingen naar eerdere betrokkenheid Veilig Thuis, regio",
            categories=None,
            n_topics=4,
            seed=2,
        ),
    ]


def sized_snapshot(table_id: str = "84851NED", *, cells: int = 120_000, n_topics: int = 4, seed: int = 3) -> TableSnapshot:
    """A table with at least `cells` TypedDataSet cells (rows x topics), for paging and the benchmark.

    Uses 6 categories, 18 periods (2019-2024) and as many synthetic gemeenten as needed.
    """
    periods = period_codes(2019, 2024)
    rows_needed = math.ceil(cells / n_topics)
    n_regions = max(2, math.ceil(rows_needed / (len(CATEGORIES) * len(periods))))
    return build_snapshot(
        table_id,
        title="Huiselijk geweld; aard geweld, aanvullende informatie, regio",
        regions=gemeente_regions(n_regions - 1),
        periods=periods,
        n_topics=n_topics,
        seed=seed,
    )
