"""Bundled boundaries, membership, loading into DuckDB and the PDOK fallback."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlparse

import duckdb
import pandas as pd
import pytest

from vtdata.storage import geo
from vtdata.storage.schema import SCHEMA_SQL

GM_COUNTS = {2019: 355, 2020: 355, 2021: 352, 2022: 345, 2023: 342, 2024: 342, 2025: 342}
VT_COUNTS = {2020: 26, 2021: 26, 2022: 26, 2023: 25, 2024: 25, 2025: 25}
LON, LAT = (3.3, 7.3), (50.7, 53.6)
PACKAGE_BUDGET = 3 * 1024 * 1024
PAYLOAD_BUDGET = 300 * 1024


def test_bundled_years():
    assert geo.bundled_years("GM") == sorted(GM_COUNTS)
    assert geo.bundled_years("VT") == sorted(VT_COUNTS)
    with pytest.raises(ValueError):
        geo.bundled_years("PV")


@pytest.mark.parametrize(
    "level,year,count", [("GM", y, n) for y, n in GM_COUNTS.items()] + [("VT", y, n) for y, n in VT_COUNTS.items()]
)
def test_every_year_decodes_with_manifest_counts(level, year, count):
    shapes = geo.load_shapes(level, year)
    assert list(shapes.columns) == ["code", "name", "geometry"]
    assert len(shapes) == count
    assert shapes["code"].is_unique
    assert shapes["code"].str.match(rf"^{level}\d{{2,4}}$").all()
    assert (shapes["name"].str.len() > 0).all()
    for text in shapes["geometry"]:
        geometry = json.loads(text)
        assert geometry["type"] in {"Polygon", "MultiPolygon"}
        for polygon in geo.polygons_of(geometry):
            assert polygon, "empty polygon"
            for ring in polygon:
                assert len(ring) >= 4
                assert ring[0] == ring[-1], "ring not closed"
                for x, y in ring:
                    assert LON[0] <= x <= LON[1] and LAT[0] <= y <= LAT[1]


def test_vt_region_changes_of_2023():
    before = set(geo.load_shapes("VT", 2022)["code"])
    for year in (2023, 2024, 2025):
        codes = set(geo.load_shapes("VT", year)["code"])
        assert "VT27" in codes and "VT16" not in codes and "VT26" not in codes
        assert codes == (before - {"VT16", "VT26"}) | {"VT27"}
    assert "VT27" not in before


def test_membership_matches_shapes_each_year():
    membership = geo.load_membership()
    assert sorted(membership["year"].unique()) == sorted(GM_COUNTS)
    for year in GM_COUNTS:
        members = membership[membership["year"] == year]
        assert set(members["gemeente"]) == set(geo.load_shapes("GM", year)["code"]), year
        vt = set(geo.load_shapes("VT", geo.boundary_year("VT", year))["code"])
        assert set(members["vt_region"]) == vt, year


def test_boundary_year():
    assert geo.boundary_year("GM", 2019) == 2019
    assert geo.boundary_year("VT", 2019) == 2020
    assert geo.boundary_year("VT", 2023) == 2023
    assert geo.boundary_year("GM", 2031) == 2025
    assert geo.boundary_year("GM", 2026, available=[2024, 2025, 2026]) == 2026
    assert geo.boundary_year("GM", 2018) == 2019


def test_neighbours_share_borders_exactly():
    """Arcs are simplified once, so a border vertex of one gemeente is one of its neighbour's."""
    shapes = geo.load_shapes("GM", 2024)
    owners: dict[tuple[float, float], set[str]] = {}
    for code, text in zip(shapes["code"], shapes["geometry"]):
        for polygon in geo.polygons_of(json.loads(text)):
            for ring in polygon:
                for p in ring:
                    owners.setdefault(tuple(p), set()).add(code)
    shared = sum(1 for codes in owners.values() if len(codes) > 1)
    assert shared > 0.6 * len(owners)


def test_package_size_within_budget():
    folder = resources.files("vtdata").joinpath("geodata")
    total = sum(len(entry.read_bytes()) for entry in folder.iterdir() if entry.is_file())
    assert total <= PACKAGE_BUDGET, total


def test_largest_gemeente_deck_payload_within_budget():
    maps = pytest.importorskip("vtdata.ui.maps")
    build_choropleth, payload_bytes = maps.build_choropleth, maps.payload_bytes

    largest = max(GM_COUNTS, key=lambda y: len(b"".join(geo.load_shapes("GM", y)["geometry"].str.encode("utf-8"))))
    shapes = geo.load_shapes("GM", largest)
    values = pd.DataFrame({"code": shapes["code"], "value": range(len(shapes)), "suppressed": False})
    values["value"] = values["value"].astype(float) * 37.5
    chart = build_choropleth(shapes, values, selected=shapes["code"].iloc[0], value_label="Meldingen")
    size = payload_bytes(chart.deck)
    assert size <= PAYLOAD_BUDGET, size


# --- loading into DuckDB ---------------------------------------------------------


@pytest.fixture
def con():
    connection = duckdb.connect()
    connection.execute(SCHEMA_SQL)
    yield connection
    connection.close()


def test_load_into_fills_boundary_years(con):
    summary = geo.load_into(con, [2019, 2020, 2023])
    rows = con.execute("SELECT level, year, count(*) FROM geo_shapes GROUP BY ALL ORDER BY ALL").fetchall()
    assert rows == [("GM", 2019, 355), ("GM", 2020, 355), ("GM", 2023, 342), ("VT", 2020, 26), ("VT", 2023, 25)]
    assert summary["shapes"][("VT", 2020)] == 26
    members = con.execute("SELECT year, count(*) FROM gemeente_vt GROUP BY ALL ORDER BY ALL").fetchall()
    assert members == [(2019, 355), (2020, 355), (2023, 342)]
    # geometry strings round-trip as GeoJSON
    (text,) = con.execute("SELECT geometry FROM geo_shapes WHERE code = 'GM0363' AND year = 2023").fetchall()[0]
    assert json.loads(text)["type"] in {"Polygon", "MultiPolygon"}
    # idempotent
    geo.load_into(con, [2023])
    assert con.execute("SELECT count(*) FROM geo_shapes WHERE year = 2023").fetchall() == [(342 + 25,)]


def test_load_into_newer_year_uses_newest_bundled(con):
    summary = geo.load_into(con, [2027])
    assert set(summary["shapes"]) == {("GM", 2025), ("VT", 2025)}
    assert summary["membership"] == {2025: 342}


def test_load_into_all_years(con):
    # how long this takes: benchmarks/bench_map.py
    geo.load_into(con, range(2019, 2026))
    total = sum(GM_COUNTS.values()) + sum(VT_COUNTS.values())
    assert con.execute("SELECT count(*) FROM geo_shapes").fetchall() == [(total,)]


# --- PDOK (never the internet) -------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_pdok_unreachable_falls_back(con, monkeypatch, caplog):
    monkeypatch.setenv("VTDATA_PDOK_URL", f"http://127.0.0.1:{_closed_port()}/ogc/v1")
    assert geo.fetch_pdok("GM", 2026, timeout=2) is None
    summary = geo.load_into(con, [2025, 2026], fetch=True, timeout=2)
    assert set(summary["shapes"]) == {("GM", 2025), ("VT", 2025)}
    assert len(summary["notes"]) == 2
    assert "PDOK" in caplog.text


def _square(x: float, y: float, d: float = 0.1) -> dict:
    ring = [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


class _FakePdok(BaseHTTPRequestHandler):
    """Two pages of gemeente_gegeneraliseerd items for jaarcode 2026; nothing else."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if not url.path.endswith("/collections/gemeente_gegeneraliseerd/items") or query.get("jaarcode") != ["2026"]:
            self.send_response(404)
            self.end_headers()
            return
        page = int(query.get("page", ["1"])[0])
        features = [
            {
                "type": "Feature",
                "properties": {"statcode": f"GM900{page}", "statnaam": f"Nieuwe gemeente {page}", "jaarcode": 2026},
                "geometry": _square(5.0 + page / 10, 52.0),
            }
        ]
        links = []
        if page == 1:
            links.append({"rel": "next", "href": f"http://127.0.0.1:{self.server.server_port}{url.path}?jaarcode=2026&page=2"})
        body = json.dumps({"type": "FeatureCollection", "features": features, "links": links}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/geo+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def fake_pdok(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakePdok)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("VTDATA_PDOK_URL", f"http://127.0.0.1:{server.server_port}/ogc/v1/")
    yield server
    server.shutdown()
    server.server_close()


def test_pdok_fetch_success(fake_pdok, con):
    shapes = geo.fetch_pdok("GM", 2026, timeout=5)
    assert shapes is not None
    assert shapes["code"].tolist() == ["GM9001", "GM9002"]
    geometry = json.loads(shapes["geometry"].iloc[0])
    assert geometry["type"] == "Polygon" and geometry["coordinates"][0][0] == geometry["coordinates"][0][-1]
    summary = geo.load_into(con, [2026], fetch=True, timeout=5)
    assert summary["shapes"][("GM", 2026)] == 2
    # the fake server has no VT collection: that level falls back
    assert ("VT", 2025) in summary["shapes"] and len(summary["notes"]) == 1


# --- point in polygon ------------------------------------------------------------------

# A 4 x 4 square with a 2 x 2 hole in the middle (a ring-shaped region), and a
# separate unit square far away: the expected answers follow from the drawing.
RING = {
    "type": "MultiPolygon",
    "coordinates": [
        [
            [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
            [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]],
        ],
        [[[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]],
    ],
}


@pytest.mark.parametrize(
    "point, inside",
    [((0.5, 0.5), True), ((2, 2), False), ((3.5, 2), True), ((5, 2), False), ((10.5, 10.5), True), ((-1, 2), False)],
)
def test_contains_respects_holes_and_parts(point, inside):
    assert geo.contains(RING, point) is inside


def test_inner_point_lies_in_the_largest_part_outside_its_hole():
    x, y = geo.inner_point(RING)
    # the widest chord at mid-height (y = 2) runs over the ring's left or right band
    assert y == 2
    assert x in (0.5, 3.5)
    assert geo.contains(RING, (x, y))


def test_inner_point_of_a_real_gemeente_is_inside_it():
    shapes = geo.load_shapes("GM", 2023)
    row = shapes[shapes["code"] == "GM0363"].iloc[0]
    geometry = json.loads(row["geometry"])
    point = geo.inner_point(geometry)
    assert geo.contains(geometry, point)
    # Amsterdam lies between 4.7-5.1 E and 52.2-52.5 N
    assert 4.7 < point[0] < 5.1 and 52.2 < point[1] < 52.5
    others = [c for c, g in zip(shapes["code"], shapes["geometry"]) if geo.contains(json.loads(g), point)]
    assert others == ["GM0363"]


# --- a StatLine refresh fetches newer boundaries from PDOK --------------------------


def _refresh_with_2026(tmp_path, monkeypatch, source="statline"):
    from tests.fake_statline import FakeStatLine
    from tests.statline_samples import build_snapshot, period_codes
    from vtdata.storage.refresh import refresh

    snapshot = build_snapshot("85361NED", categories=None, n_topics=2, periods=period_codes(2025, 2026))
    db = tmp_path / "vtdata.duckdb"
    with FakeStatLine([snapshot]) as server:
        monkeypatch.setenv("VTDATA_STATLINE_URL", server.url)
        refresh(source=source, db=db, table_ids=["85361NED"])
    con = duckdb.connect(str(db.resolve()), read_only=True)
    try:
        return dict(((level, year), n) for level, year, n in con.execute(
            "SELECT level, year, count(*) FROM geo_shapes GROUP BY level, year"
        ).fetchall())
    finally:
        con.close()


def test_statline_refresh_takes_newer_boundaries_from_pdok(tmp_path, monkeypatch, fake_pdok):
    shapes = _refresh_with_2026(tmp_path, monkeypatch)
    assert shapes[("GM", 2026)] == 2  # the fake PDOK's two gemeenten of 2026
    assert ("VT", 2025) in shapes  # no VT collection there: the bundled newest year


def test_statline_refresh_without_pdok_uses_the_bundled_boundaries(tmp_path, monkeypatch):
    # conftest points VTDATA_PDOK_URL at a closed port
    shapes = _refresh_with_2026(tmp_path, monkeypatch)
    assert ("GM", 2026) not in shapes
    assert shapes[("GM", 2025)] == GM_COUNTS[2025] and shapes[("VT", 2025)] == VT_COUNTS[2025]


def test_region_names_are_spelled_as_cbs_writes_them():
    """'West-Brabant', not the source's 'West-brabant': every part of a hyphenated name is capitalised."""
    import csv
    import gzip
    import json
    from importlib import resources

    geodata = resources.files("vtdata").joinpath("geodata")
    names = {row["vt_naam"] for row in csv.DictReader(geodata.joinpath("gemeente_vt.csv").read_text(encoding="utf-8").splitlines())}
    for year in range(2020, 2026):
        features = json.loads(gzip.decompress(geodata.joinpath(f"vt_{year}.json.gz").read_bytes()))["features"]
        names |= {f["name"] for f in features}
    assert "West-Brabant" in names
    assert not [n for n in names if any(part[:1].islower() for part in n.split("-"))], names


def test_boundaries_take_statline_s_code_of_the_region_formed_in_2023(tmp_path):
    """The boundary files code Oost-Brabant VT27; if StatLine codes it otherwise, maps and membership follow StatLine."""
    import duckdb

    from vtdata.storage import loader

    con = duckdb.connect(str(tmp_path / "g.duckdb"))
    try:
        loader.create_schema(con)
        con.execute("INSERT INTO regions VALUES ('VT28', 'Oost-Brabant (VT)', 'Oost-Brabant', 'VT'), "
                    "('VT01', 'Amsterdam-Amstelland (VT)', 'Amsterdam-Amstelland', 'VT')")
        geo.load_into(con, [2023])
        before = con.execute("SELECT count(*) FROM gemeente_vt WHERE year = 2023 AND vt_region = 'VT27'").fetchone()[0]
        assert before > 0
        notes = geo.align_vt_codes(con)
        assert len(notes) == 1 and "VT27" in notes[0] and "VT28" in notes[0]
        codes = {c for (c,) in con.execute("SELECT code FROM geo_shapes WHERE level = 'VT' AND year = 2023").fetchall()}
        assert "VT28" in codes and "VT27" not in codes and "VT01" in codes
        after = con.execute("SELECT count(*) FROM gemeente_vt WHERE year = 2023 AND vt_region = 'VT28'").fetchone()[0]
        assert after == before
        assert geo.align_vt_codes(con) == []  # nothing left to align
    finally:
        con.close()
