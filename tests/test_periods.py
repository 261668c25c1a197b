"""Period codes and statuses (vtdata.model.periods)."""

from __future__ import annotations

import math

import pytest

from vtdata.model.periods import is_provisional, period_label


@pytest.mark.parametrize(
    "status, provisional",
    [
        ("Voorlopig", True),
        ("Nader voorlopig", True),  # CBS's second provisional release
        ("voorlopig ", True),
        ("Definitief", False),
        ("Revisie", False),
        ("", False),
        (None, False),
        (math.nan, False),  # a missing status in a pandas column
    ],
)
def test_is_provisional(status, provisional):
    assert is_provisional(status) is provisional


def test_period_label_marks_every_provisional_status():
    assert period_label("2024HJ01", "Nader voorlopig") == "1e halfjaar 2024*"
    assert period_label("2024HJ02", "Voorlopig") == "2e halfjaar 2024*"
    assert period_label("2023JJ00", "Definitief") == "2023"


def test_loader_treats_nader_voorlopig_as_provisional():
    import duckdb

    from vtdata.storage import loader

    con = duckdb.connect()
    loader.create_schema(con)
    con.execute(
        "INSERT INTO categories (table_id, dimension, key, title, status) VALUES "
        "('A', 'Perioden', '2024HJ01', '2024 1e halfjaar*', 'Nader voorlopig'), "
        "('B', 'Perioden', '2024HJ01', '2024 1e halfjaar*', 'Definitief'), "
        "('A', 'Perioden', '2023HJ01', '2023 1e halfjaar', 'Definitief')"
    )
    con.execute(
        "INSERT INTO categories (table_id, dimension, key, title) VALUES ('A', 'RegioS', 'NL01', 'Nederland')"
    )
    loader.derive_regions_and_periods(con)
    statuses = dict(con.execute("SELECT code, status FROM periods").fetchall())
    assert statuses == {"2024HJ01": "Voorlopig", "2023HJ01": "Definitief"}
