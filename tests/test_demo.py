"""The demo data set: StatLine shape, CBS practice (rounding, suppression), calibration."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict

import pytest

from vtdata.model import catalog
from vtdata.source.demo import TABLE_SPECS, build_demo_snapshots
from vtdata.source.demo import regions as demo_regions
from vtdata.source.demo import values as demo_values
from vtdata.source.demo.spec import flat_topics, walk
from vtdata.source.snapshot import CATEGORY_GROUPS, DATA_PROPERTIES, TABLE_INFOS, TYPED_DATA_SET

BUILD_SECONDS = {}


@pytest.fixture(scope="module")
def snapshots():
    for cached in (demo_regions.geography, demo_values.context, demo_values.base_values):
        cached.cache_clear()
    # CPU time, not wall time: the build must be fast, whatever else the machine is doing
    start = time.process_time()
    built = build_demo_snapshots()
    BUILD_SECONDS["all"] = time.process_time() - start
    return {s.table_id: s for s in built}


def strip_rows(snapshot):
    """TypedDataSet rows with the dimension keys stripped, as the loader sees them."""
    dims = snapshot.dimension_keys
    return [{k: (v.strip() if k in dims else v) for k, v in row.items()} for row in snapshot.rows]


_INDEXES: dict[int, dict] = {}


def index_rows(snapshot):
    """{(dim keys..., stripped): row}, built once per snapshot."""
    if id(snapshot) not in _INDEXES:
        dims = snapshot.dimension_keys
        _INDEXES[id(snapshot)] = {tuple(row[d].strip() for d in dims): row for row in snapshot.rows}
    return _INDEXES[id(snapshot)]


def topic_key(snapshot, title, unit="aantal"):
    matches = [p["Key"] for p in snapshot.data_properties if p["Type"] == "Topic" and p["Title"] == title and p["Unit"] == unit]
    assert len(matches) == 1, (title, matches)
    return matches[0]


def category_key(snapshot, dim, title):
    matches = [r["Key"].strip() for r in snapshot.entities[dim] if r["Title"] == title]
    assert len(matches) == 1, (dim, title, matches)
    return matches[0]


def value(snapshot, topic, region, period, **cats):
    key = tuple(cats.get(d, region if d == "RegioS" else period if d == "Perioden" else "T001038")
                for d in snapshot.dimension_keys)
    return index_rows(snapshot)[key][topic]


def test_all_catalog_tables_in_catalog_order(snapshots):
    assert list(snapshots) == list(catalog.TABLES)
    assert [s.table_id for s in build_demo_snapshots(["84853NED"])] == ["84853NED"]
    with pytest.raises(KeyError):
        build_demo_snapshots(["12345NED"])


def test_build_is_fast_and_moderate(snapshots):
    assert BUILD_SECONDS["all"] < 15
    cells = sum(len(s.rows) * len(s.topic_keys) for s in snapshots.values())
    assert 500_000 < cells <= 1_500_000


def test_same_data_on_every_build(snapshots):
    for cached in (demo_regions.geography, demo_values.context, demo_values.base_values):
        cached.cache_clear()
    again = {s.table_id: s for s in build_demo_snapshots(["84847NED", "84853NED", "85361NED"])}
    for table_id, snapshot in again.items():
        assert snapshot.entities == snapshots[table_id].entities


def _digest(entities) -> str:
    return hashlib.sha256(json.dumps(entities, sort_keys=True).encode()).hexdigest()


def test_same_data_in_another_process_with_another_hash_seed(snapshots):
    """Python's hash() is salted per process; the demo must not depend on it."""
    code = (
        "import hashlib, json; from vtdata.source.demo import build_demo_snapshots; "
        "s = build_demo_snapshots(['84853NED'])[0]; "
        "print(hashlib.sha256(json.dumps(s.entities, sort_keys=True).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == _digest(snapshots["84853NED"].entities)


def test_entity_sets_and_row_fields(snapshots):
    for snapshot in snapshots.values():
        names = set(snapshot.entity_set_names())
        dims = snapshot.dimension_keys
        assert {TABLE_INFOS, DATA_PROPERTIES, CATEGORY_GROUPS, TYPED_DATA_SET, *dims} <= names
        assert dims[-2:] == ["RegioS", "Perioden"]
        fields = {"ID", *dims, *snapshot.topic_keys}
        for i, row in enumerate(snapshot.rows):
            assert set(row) == fields
            assert row["ID"] == i
        # every combination of categories exactly once
        expected = 1
        for d in dims:
            expected *= len(snapshot.entities[d])
        assert len(snapshot.rows) == expected == len(index_rows(snapshot))


def test_table_infos(snapshots):
    for table_id, snapshot in snapshots.items():
        (info,) = snapshot.entities[TABLE_INFOS]
        assert info["Identifier"] == table_id
        assert info["Title"] == catalog.TABLES[table_id].title
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", info["Modified"])
        for text in (info["ShortDescription"], info["Description"]):
            assert "synthetische demonstratiecijfers" in text
            assert "geen cijfers van het CBS" in text
        assert info["RecordCount"] == len(snapshot.rows)


def test_data_properties(snapshots):
    for snapshot in snapshots.values():
        props = snapshot.data_properties
        assert [p["ID"] for p in props] == list(range(len(props)))
        ids = {p["ID"]: p for p in props}
        types = [p["Type"] for p in props]
        assert types.count("GeoDimension") == types.count("TimeDimension") == 1
        for p in props:
            assert p["ParentID"] is None or ids[p["ParentID"]]["Type"] == "TopicGroup"
            if p["Type"] == "TopicGroup":
                assert p["Key"] == ""
            if p["Type"] == "Topic":
                assert p["Unit"] in ("aantal", "%")
                assert (p["Datatype"], p["Decimals"]) == (("Long", 0) if p["Unit"] == "aantal" else ("Double", 1))
        numbers = [int(k.rsplit("_", 1)[1]) for k in snapshot.topic_keys]
        assert numbers == list(range(1, len(numbers) + 1))
        assert all(re.fullmatch(r"[A-Z][A-Za-z0-9]*_\d+", k) for k in snapshot.topic_keys)


def test_category_entities_and_groups(snapshots):
    for snapshot in snapshots.values():
        group_ids = {g["ID"] for g in snapshot.entities[CATEGORY_GROUPS]}
        for g in snapshot.entities[CATEGORY_GROUPS]:
            assert g["ParentID"] is None or g["ParentID"] in group_ids
            assert g["DimensionKey"] in snapshot.dimension_keys
        for dim in snapshot.dimension_keys[:-2]:
            rows = snapshot.entities[dim]
            assert rows[0]["Key"].strip() == "T001038" and rows[0]["CategoryGroupID"] is None
            assert len({len(r["Key"]) for r in rows}) == 1  # padded to one width
            assert len({r["Key"] for r in rows}) == len({r["Title"] for r in rows}) == len(rows)
            assert all(r["CategoryGroupID"] is None or r["CategoryGroupID"] in group_ids for r in rows)


def test_region_keys_are_padded_to_six(snapshots):
    for snapshot in snapshots.values():
        keys = [r["Key"] for r in snapshot.entities["RegioS"]]
        assert all(len(k) == 6 for k in keys)
        assert "NL01  " in keys
        assert {row["RegioS"] for row in snapshot.rows} == set(keys)


def test_region_levels_and_titles(snapshots):
    def levels(table_id):
        return {r["Key"][:2] for r in snapshots[table_id].entities["RegioS"]}

    assert levels("84847NED") == {"NL", "LD", "PV", "VT", "GM"}
    assert levels("84848NED") == {"NL", "VT"}
    assert levels("84849NED") == {"NL", "LD", "PV", "GM"}
    titles = {r["Key"].strip(): r["Title"] for r in snapshots["84847NED"].entities["RegioS"]}
    assert titles["NL01"] == "Nederland"
    assert titles["LD01"] == "Noord-Nederland (LD)"
    assert titles["PV21"] == "Fryslân (PV)" and titles["PV26"] == "Utrecht (PV)"
    assert titles["VT27"] == "Oost-Brabant (VT)" and titles["VT20"] == "Utrecht (VT)"
    assert titles["GM0344"] == "Utrecht (gemeente)" and titles["GM0014"] == "Groningen (gemeente)"
    assert titles["GM0363"] == "Amsterdam"
    assert sum(k.startswith("PV") for k in titles) == 12
    assert sum(k.startswith("VT") for k in titles) == 27
    assert titles["GM0003"] == "Appingedam" and titles["GM1979"] == "Eemsdelta"


def test_periods_and_voorlopig_last_only(snapshots):
    for snapshot in snapshots.values():
        periods = snapshot.entities["Perioden"]
        keys = [p["Key"] for p in periods]
        assert keys[0] == "2019HJ01" and keys[-1] == "2025HJ01"
        assert "2024JJ00" in keys and "2025JJ00" not in keys and len(keys) == 19
        assert [p["Status"] for p in periods] == ["Definitief"] * 18 + ["Voorlopig"]
        assert periods[-1]["Title"] == "1e halfjaar 2025*"
        assert periods[1]["Title"] == "2e halfjaar 2019" and periods[2]["Title"] == "2019"


def test_counts_are_multiples_of_five_or_null(snapshots):
    for snapshot in snapshots.values():
        units = {p["Key"]: p["Unit"] for p in snapshot.data_properties if p["Type"] == "Topic"}
        nulls = 0
        for row in snapshot.rows:
            for key, unit in units.items():
                v = row[key]
                if v is None:
                    nulls += 1
                elif unit == "aantal":
                    assert isinstance(v, int) and v % 5 == 0 and v >= 10
                else:
                    assert isinstance(v, float) and 0 <= v <= 100 and round(v, 1) == v
        assert nulls > 0  # small cells are suppressed


def test_discontinued_and_new_regions_are_null(snapshots):
    snapshot = snapshots["84847NED"]
    topic = topic_key(snapshot, "Ontvangen meldingen")
    for period in ("2019HJ01", "2022JJ00", "2022HJ02"):
        assert value(snapshot, topic, "VT16", period) is not None
        assert value(snapshot, topic, "VT26", period) is not None
        assert value(snapshot, topic, "VT27", period) is None
    for period in ("2023HJ01", "2023JJ00", "2025HJ01"):
        assert value(snapshot, topic, "VT16", period) is None
        assert value(snapshot, topic, "VT26", period) is None
        assert value(snapshot, topic, "VT27", period) is not None
    # Appingedam merged into Eemsdelta in 2021: every topic null from then on
    rows = [r for r in strip_rows(snapshot) if r["RegioS"] == "GM0003"]
    assert all(r[topic] is not None for r in rows if r["Perioden"] < "2021")
    assert all(r[k] is None for r in rows if r["Perioden"] >= "2021" for k in snapshot.topic_keys)
    assert value(snapshot, topic, "GM1979", "2021HJ01") is not None
    assert value(snapshot, topic, "GM1979", "2020HJ02") is None


@pytest.mark.parametrize("period, published", [("2019HJ01", 64_960), ("2020JJ00", 127_410), ("2022HJ01", 59_985),
                                               ("2023JJ00", 127_340), ("2025HJ01", 66_270)])
def test_national_meldingen_near_published(snapshots, period, published):
    for table_id, title in (("84847NED", "Ontvangen meldingen"), ("84849NED", "Ontvangen meldingen"),
                            ("84852NED", "Ontvangen meldingen"), ("85361NED", "Totaal ontvangen meldingen")):
        snapshot = snapshots[table_id]
        got = value(snapshot, topic_key(snapshot, title), "NL01", period)
        assert abs(got - published) <= 0.03 * published, (table_id, period, got)


@pytest.mark.parametrize("period, published", [("2019HJ01", 53_080), ("2022HJ01", 66_155), ("2023JJ00", 143_210),
                                               ("2025HJ01", 84_935)])
def test_national_adviezen_near_published(snapshots, period, published):
    snapshot = snapshots["84847NED"]
    got = value(snapshot, topic_key(snapshot, "Gestarte adviezen"), "NL01", period)
    assert abs(got - published) <= 0.03 * published


def test_published_shares(snapshots):
    s = snapshots["84849NED"]
    meldingen = topic_key(s, "Ontvangen meldingen")
    justitie = category_key(s, "KenmerkenAdviezenMeldingen", "Justitie en veiligheid: totaal")
    share = value(s, meldingen, "NL01", "2023JJ00", KenmerkenAdviezenMeldingen=justitie) / value(s, meldingen, "NL01", "2023JJ00")
    assert 0.60 < share < 0.72  # about two thirds from police/justice

    s = snapshots["85361NED"]
    assert 33 < value(s, topic_key(s, "Hermelding", "%"), "NL01", "2022HJ01") < 43

    s = snapshots["84853NED"]
    onderzoeken = value(s, topic_key(s, "Afgeronde diensten onderzoek"), "NL01", "2023JJ00")
    assert abs(onderzoeken - 7_350) <= 0.05 * 7_350


def test_percentages_follow_rounded_counts(snapshots):
    s = snapshots["85361NED"]
    total = topic_key(s, "Totaal ontvangen meldingen")
    count, pct = topic_key(s, "Hermelding"), topic_key(s, "Hermelding", "%")
    for row in s.rows:
        if row[count] is None or row[total] is None:
            assert row[pct] is None
        else:
            assert row[pct] == round(100 * row[count] / row[total], 1)


def _exclusive_splits(spec, dim_index=0):
    """(parent title, [part titles]) of every exclusive split of a dimension."""
    for cat in walk(spec.dims[dim_index].root):
        for split in cat.splits:
            if split.exclusive:
                yield cat.title, [p.title for p in split.parts]


def _check_sum(parent, parts):
    if parent is None or any(p is None for p in parts):
        return 0
    assert abs(parent - sum(parts)) <= 5 * len(parts), (parent, parts)
    return 1


@pytest.mark.parametrize("table_id", ["84848NED", "84849NED", "84850NED", "84851NED", "84853NED"])
def test_total_is_sum_of_exclusive_categories_within_rounding(snapshots, table_id):
    snapshot, spec = snapshots[table_id], TABLE_SPECS[table_id]
    dim = spec.dims[0].key
    keys = {r["Title"]: r["Key"].strip() for r in snapshot.entities[dim]}
    cells = defaultdict(dict)
    for row in strip_rows(snapshot):
        cells[(row["RegioS"], row["Perioden"])][row[dim]] = row
    checked = 0
    for by_cat in cells.values():
        for parent, parts in _exclusive_splits(spec):
            for topic in snapshot.topic_keys:
                checked += _check_sum(by_cat[keys[parent]][topic], [by_cat[keys[p]][topic] for p in parts])
    assert checked > 100


@pytest.mark.parametrize("table_id", ["84852NED", "84854NED", "84855NED"])
def test_two_dimensional_margins_add_up(snapshots, table_id):
    snapshot, spec = snapshots[table_id], TABLE_SPECS[table_id]
    (topic,) = snapshot.topic_keys
    a, b = (d.key for d in spec.dims)
    cells = defaultdict(dict)
    for row in strip_rows(snapshot):
        cells[(row["RegioS"], row["Perioden"])][(row[a], row[b])] = row[topic]
    a_keys = [r["Key"].strip() for r in snapshot.entities[a]]
    b_keys = [r["Key"].strip() for r in snapshot.entities[b]]
    checked = 0
    for grid in cells.values():
        for ka in a_keys:  # each row of the cross table adds up to its Totaal column
            checked += _check_sum(grid[(ka, "T001038")], [grid[(ka, kb)] for kb in b_keys[1:]])
        for kb in b_keys:
            checked += _check_sum(grid[("T001038", kb)], [grid[(ka, kb)] for ka in a_keys[1:]])
    assert checked > 1000


def test_regions_and_years_add_up(snapshots):
    s = snapshots["84847NED"]
    topic = topic_key(s, "Ontvangen meldingen")
    rows = index_rows(s)
    vt = [r["Key"].strip() for r in s.entities["RegioS"] if r["Key"].startswith("VT")]
    pv = [r["Key"].strip() for r in s.entities["RegioS"] if r["Key"].startswith("PV")]
    for period in ("2019HJ01", "2022JJ00", "2023HJ02", "2025HJ01"):
        nl = rows[("NL01", period)][topic]
        vt_values = [rows[(k, period)][topic] for k in vt if rows[(k, period)][topic] is not None]
        assert len(vt_values) in (25, 26)
        assert abs(nl - sum(vt_values)) <= 2.5 * (len(vt_values) + 1)
        assert abs(nl - sum(rows[(k, period)][topic] for k in pv)) <= 2.5 * 13
    for year in range(2019, 2025):
        for region in ("NL01", "VT01", "GM0363", "PV29"):
            halves = rows[(region, f"{year}HJ01")][topic] + rows[(region, f"{year}HJ02")][topic]
            assert abs(rows[(region, f"{year}JJ00")][topic] - halves) <= 7.5


def test_tables_agree_on_shared_figures(snapshots):
    for region, period in (("NL01", "2023JJ00"), ("GM0363", "2021HJ02"), ("PV28", "2019HJ01")):
        melding = {
            t: value(snapshots[t], topic_key(snapshots[t], title), region, period)
            for t, title in (("84847NED", "Ontvangen meldingen"), ("84849NED", "Ontvangen meldingen"),
                             ("84851NED", "Ontvangen meldingen"), ("84852NED", "Ontvangen meldingen"),
                             ("85361NED", "Totaal ontvangen meldingen"))
        }
        assert len(set(melding.values())) == 1, melding
    k, o = snapshots["84847NED"], snapshots["84854NED"]
    assert value(k, topic_key(k, "Overdrachten"), "VT05", "2024HJ02") == value(o, "Overdrachten_1", "VT05", "2024HJ02")


def test_something_stands_out(snapshots):
    s = snapshots["84852NED"]
    acute = category_key(s, "Veiligheidstaxatie", "Acute onveiligheid")
    topic = s.topic_keys[0]
    shares = {}
    for r in s.entities["RegioS"]:
        code = r["Key"].strip()
        if code.startswith(("NL", "VT")) and value(s, topic, code, "2023JJ00") is not None:
            shares[code] = value(s, topic, code, "2023JJ00", Veiligheidstaxatie=acute) / value(s, topic, code, "2023JJ00")
    assert 0.05 <= shares["NL01"] <= 0.15
    ranked = sorted(shares.values())
    assert ranked[-1] > 1.3 * ranked[len(ranked) // 2]

    s = snapshots["84854NED"]
    ggz = category_key(s, "OrganisatieVanOverdracht", "Geestelijke gezondheidszorg (GGZ)")
    rising = [
        code for code in (r["Key"].strip() for r in s.entities["RegioS"] if r["Key"].startswith("VT"))
        if (first := value(s, "Overdrachten_1", code, "2019HJ01", OrganisatieVanOverdracht=ggz))
        and (last := value(s, "Overdrachten_1", code, "2025HJ01", OrganisatieVanOverdracht=ggz))
        and last >= 2 * first
    ]
    assert 1 <= len(rising) <= 5
    nl_first = value(s, "Overdrachten_1", "NL01", "2019HJ01", OrganisatieVanOverdracht=ggz)
    nl_last = value(s, "Overdrachten_1", "NL01", "2025HJ01", OrganisatieVanOverdracht=ggz)
    assert nl_last < 2 * nl_first


def test_topics_of_85361(snapshots):
    s = snapshots["85361NED"]
    assert s.dimension_keys == ["RegioS", "Perioden"]
    groups = {p["ID"]: p["Title"] for p in s.data_properties if p["Type"] == "TopicGroup"}
    relative = [p for p in s.data_properties if p["Type"] == "Topic" and p["Unit"] == "%"]
    assert {groups[p["ParentID"]] for p in relative} >= {"Ontvangen meldingen (relatief)", "Vervolgmelding tijdens betrokkenheid VT"}
    titles = [t.title for t in flat_topics(TABLE_SPECS["85361NED"].topics)]
    assert titles.count("Tijdens monitoring door VT") == 2
