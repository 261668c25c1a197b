"""A StatLine table as downloaded: the rows of each OData v3 entity set.

This is the one exchange format between the parts of the refresh. The StatLine
source downloads it, the demo generator synthesises it, the fake test server
serves it and the loader reads it into DuckDB. Rows are kept exactly as StatLine
sends them (padded keys included), so every part sees the real shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Entity sets that every StatLine table has besides its dimensions.
TABLE_INFOS = "TableInfos"
DATA_PROPERTIES = "DataProperties"
CATEGORY_GROUPS = "CategoryGroups"
TYPED_DATA_SET = "TypedDataSet"
UNTYPED_DATA_SET = "UntypedDataSet"
FIXED_ENTITY_SETS = (TABLE_INFOS, DATA_PROPERTIES, CATEGORY_GROUPS)

DIMENSION_TYPES = ("Dimension", "GeoDimension", "TimeDimension")


@dataclass
class TableSnapshot:
    """All entity sets of one StatLine table, as lists of JSON rows."""

    table_id: str
    entities: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def info(self) -> dict:
        return self.entities[TABLE_INFOS][0]

    @property
    def data_properties(self) -> list[dict]:
        return self.entities[DATA_PROPERTIES]

    @property
    def dimension_keys(self) -> list[str]:
        """Dimension keys in StatLine order (e.g. Veiligheidstaxatie, RegioS, Perioden)."""
        return [p["Key"] for p in self.data_properties if p["Type"] in DIMENSION_TYPES]

    @property
    def topic_keys(self) -> list[str]:
        return [p["Key"] for p in self.data_properties if p["Type"] == "Topic"]

    @property
    def rows(self) -> list[dict]:
        return self.entities[TYPED_DATA_SET]

    def entity_set_names(self) -> list[str]:
        """The names a StatLine service document lists for this table."""
        return list(self.entities)
