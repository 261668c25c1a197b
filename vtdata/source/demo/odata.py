"""Turn a table description and its published values into StatLine OData v3 entity sets."""

from __future__ import annotations

import numpy as np

from vtdata.model.catalog import TABLES
from vtdata.source.demo.regions import Region
from vtdata.source.demo.spec import Dimension, TableSpec, Topic, TopicGroup, flat_topics, topic_key, walk
from vtdata.source.demo.values import PERIODS, VOORLOPIG
from vtdata.model.periods import period_label
from vtdata.source.snapshot import CATEGORY_GROUPS, DATA_PROPERTIES, TABLE_INFOS, TYPED_DATA_SET

MODIFIED = "2025-10-24T02:00:00"
TOTAL_KEY = "T001038"  # StatLine's usual key of "Totaal"
DEMO_NOTE = (
    "Let op: dit zijn synthetische demonstratiecijfers, gegenereerd door vtdata. "
    "Het zijn geen cijfers van het CBS en ze zeggen niets over de werkelijkheid."
)


def table_infos(spec: TableSpec, n_rows: int, n_columns: int) -> list[dict]:
    first, last = PERIODS[0], PERIODS[-1]
    return [{
        "ID": 0,
        "Title": TABLES[spec.id].title,
        "ShortTitle": spec.short_title,
        "Identifier": spec.id,
        "Summary": f"{spec.summary}\nSynthetische demonstratiecijfers, geen CBS-cijfers",
        "Modified": MODIFIED,
        "MetaDataModified": MODIFIED,
        "ReasonDelivery": "Actualisering",
        "ExplanatoryText": "",
        "OutputStatus": "Regulier",
        "Source": "vtdata (demonstratiegegevens)",
        "Language": "nl",
        "Catalog": "CBS",
        "Frequency": "Perhalfjaar",
        "Period": f"{period_label(first)} - {period_label(last)}",
        "ShortDescription": f"{DEMO_NOTE}\n\nDe tabel laat zien: {spec.summary.lower()}, per regio en per half jaar en jaar.",
        "Description": (
            f"{DEMO_NOTE}\n\nDeze demonstratietabel heeft dezelfde opbouw als de StatLine-tabel {spec.id} "
            "van het CBS (Beleidsinformatie Veilig Thuis). De aantallen zijn per gemeente verzonnen, "
            "opgeteld naar Veilig Thuis-regio, provincie, landsdeel en Nederland, en daarna afgerond op "
            "vijftallen; kleine aantallen zijn weggelaten. Totalen kunnen daardoor afwijken van de som "
            "van de onderdelen. Cijfers over de laatste periode zijn voorlopig."
        ),
        "GraphTypes": "Table,Bar,Line,Map",
        "RecordCount": n_rows,
        "ColumnCount": n_columns,
        "SearchPriority": "2",
    }]


class _Properties:
    """DataProperties rows with running IDs (Position follows the ID, as other parts expect)."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, type_: str, parent: int | None = None, **fields) -> int:
        pid = len(self.rows)
        self.rows.append({"odata.type": f"Cbs.OData.{type_}", "ID": pid, "Position": pid, "ParentID": parent,
                          "Type": type_, **fields})
        return pid


def data_properties(spec: TableSpec) -> tuple[list[dict], list[str]]:
    """DataProperties and the topic keys in order (numbered like StatLine: Title_1, Title_2, ...)."""
    props = _Properties()
    for dim in spec.dims:
        props.add("Dimension", Key=dim.key, Title=dim.title, Description=dim.description, Default="Selected")
    props.add("GeoDimension", Key="RegioS", Title="Regio's", Default="Selected", MapYear="2025", ReleasePolicy=False,
              Description="Nederland, landsdelen, provincies, Veilig Thuis-regio's en gemeenten, "
                          "in de indeling van het jaar van de periode.")
    props.add("TimeDimension", Key="Perioden", Title="Perioden", Default="Selected", ReleasePolicy=True,
              Description="Halve jaren en jaren. Een * achter de periode betekent: voorlopige cijfers.")
    keys: list[str] = []

    def add_items(items, parent: int | None) -> None:
        for item in items:
            if isinstance(item, TopicGroup):
                gid = props.add("TopicGroup", parent, Key="", Title=item.title, Description=item.description)
                add_items(item.items, gid)
            else:
                keys.append(topic_key(item.title, len(keys) + 1))
                relative = item.unit == "%"
                props.add("Topic", parent, Key=keys[-1], Title=item.title, Description=item.description,
                          Datatype="Double" if relative else "Long", Unit=item.unit, Decimals=1 if relative else 0,
                          Default="Impossible", PresentationType="Relative" if relative else "Absolute")

    add_items(spec.topics, None)
    return props.rows, keys


def category_keys(dim: Dimension) -> list[str]:
    """'T001038' for the total, then prefix + running number, padded to one width like StatLine."""
    keys = [TOTAL_KEY] + [f"{dim.code_prefix}{dim.code_start + i}" for i in range(len(list(walk(dim.root))) - 1)]
    width = max(map(len, keys))
    return [k.ljust(width) for k in keys]


def categories(spec: TableSpec) -> tuple[list[dict], dict[str, list[dict]]]:
    """CategoryGroups of the table and the category rows of each dimension."""
    groups: list[dict] = []
    entities: dict[str, list[dict]] = {}
    for dim in spec.dims:
        rows: list[dict] = []
        keys = iter(category_keys(dim))

        def visit(cat, group_id: int | None, rows=rows, keys=keys, dim=dim) -> None:  # this iteration's, not the last
            rows.append({"Key": next(keys), "Title": cat.title, "Description": cat.description, "CategoryGroupID": group_id})
            for split in cat.splits:
                inner = group_id
                if split.group:
                    inner = len(groups) + 1
                    groups.append({"ID": inner, "DimensionKey": dim.key, "Title": split.group,
                                   "Description": split.description, "ParentID": group_id})
                for part in split.parts:
                    visit(part, inner)

        visit(dim.root, None)
        entities[dim.key] = rows
    return groups, entities


def region_rows(regions: list[Region]) -> list[dict]:
    return [{"Key": r.code.ljust(6), "Title": r.title, "Description": None, "CategoryGroupID": None} for r in regions]


def period_rows() -> list[dict]:
    rows = []
    for code in PERIODS:
        status = "Voorlopig" if code in VOORLOPIG else "Definitief"
        rows.append({"Key": code, "Title": period_label(code, status), "Description": None, "Status": status})
    return rows


def _column(values: np.ndarray, decimals: int) -> list:
    """A topic column as JSON values: int (Long) or float (Double), None when suppressed."""
    present = ~np.isnan(values)
    if decimals == 0:
        out = np.where(present, values, 0).astype(np.int64).tolist()
    else:
        out = np.where(present, values, 0.0).tolist()
    return [v if p else None for v, p in zip(out, present.tolist())]


def typed_data_set(dim_keys: dict[str, list[str]], topic_keys: list[str], topics: list[Topic],
                   columns: list[np.ndarray]) -> list[dict]:
    """Rows in StatLine order (the first dimension varies slowest), one field per dimension and topic.

    `columns` are the topic values, each shaped like the dimensions.
    """
    names = list(dim_keys)
    shape = tuple(len(k) for k in dim_keys.values())
    index = np.indices(shape).reshape(len(shape), -1)
    key_columns = [np.asarray(dim_keys[n], dtype=object)[index[i]].tolist() for i, n in enumerate(names)]
    value_columns = [_column(c.reshape(-1), 1 if t.unit == "%" else 0) for t, c in zip(topics, columns)]
    fields = ["ID", *names, *topic_keys]
    return [dict(zip(fields, row)) for row in zip(range(index.shape[1]), *key_columns, *value_columns)]


def entity_sets(spec: TableSpec, regions: list[Region], columns: list[np.ndarray]) -> dict[str, list[dict]]:
    """All entity sets of one table; `columns` are (*categories, R, P) published values per topic."""
    props, topic_keys = data_properties(spec)
    groups, cat_entities = categories(spec)
    regio, perioden = region_rows(regions), period_rows()
    dim_keys = {d: [r["Key"] for r in rows] for d, rows in cat_entities.items()}
    dim_keys["RegioS"] = [r["Key"] for r in regio]
    dim_keys["Perioden"] = [r["Key"] for r in perioden]
    rows = typed_data_set(dim_keys, topic_keys, flat_topics(spec.topics), columns)
    return {
        TABLE_INFOS: table_infos(spec, len(rows), len(dim_keys) + len(topic_keys)),
        DATA_PROPERTIES: props,
        CATEGORY_GROUPS: groups,
        **cat_entities,
        "RegioS": regio,
        "Perioden": perioden,
        TYPED_DATA_SET: rows,
    }
