"""Boundaries (gemeenten, Veilig Thuis-regio's) and gemeente → VT-regio membership.

The boundaries are bundled with the package (``vtdata/geodata/*.json.gz``, built
once by ``tools/build_geodata.py`` from the CBS/Kadaster generalised
gebiedsindelingen, CC BY 4.0, "Bron: CBS, Kadaster"), so the app works offline.
No shapely (or any other geometry library) is needed at run time.

API
---
- ``LEVELS``: ``("GM", "VT")``.
- ``bundled_years(level) -> list[int]``: the years with bundled boundaries
  (GM 2019–2025, VT 2020–2025).
- ``load_shapes(level, year) -> DataFrame[code, name, geometry]``: bundled
  boundaries of one year; ``geometry`` is a GeoJSON geometry string (WGS84),
  exactly as stored in ``geo_shapes``. Raises ``KeyError`` for a year not bundled.
- ``boundary_year(level, period_year, available=None) -> int``: the year whose
  boundaries a figure of ``period_year`` is drawn on: its own year when there
  are boundaries for it; an older year → the oldest (VT 2019 → 2020, the
  VT-regio's of 2019 are those of 2020); a newer year → the newest.
  ``available`` defaults to the bundled years; pass the years present in a
  database (e.g. including a year fetched from PDOK) to use those instead.
- ``load_into(con, years, *, fetch=False, timeout=10.0) -> dict``: fill
  ``geo_shapes`` and ``gemeente_vt`` of a database being built, for the boundary
  years of the given period years. Rows are stored under the *boundary* year
  (``geo_shapes.year`` and ``gemeente_vt.year``), so readers look them up with
  ``boundary_year(level, period_year, available)``. With ``fetch=True``, a year
  newer than the bundled ones is fetched from PDOK (``fetch_pdok``); on any
  failure the newest bundled year is used and a note is logged. Returns
  ``{"shapes": {(level, year): n}, "membership": {year: n}, "notes": [...]}``.
- ``fetch_pdok(level, year, timeout=10.0) -> DataFrame | None``: boundaries of
  one year from the PDOK OGC API Features service (base URL from env
  ``VTDATA_PDOK_URL``, default ``PDOK_URL``), simplified and rounded like the
  bundled ones; ``None`` (with a logged warning) on any failure.
- ``load_membership() -> DataFrame[year, gemeente, vt_region]``: the bundled
  ``gemeente_vt.csv`` (2019–2025).
- ``contains(geometry, point) -> bool`` and ``inner_point(geometry) -> (lon, lat) | None``:
  point-in-polygon for GeoJSON dicts (e.g. which new gemeente took over an old one).
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
import logging
import math
import os
import re
import urllib.parse
import urllib.request
from importlib import resources

import pandas as pd

log = logging.getLogger(__name__)

LEVELS = ("GM", "VT")
PDOK_URL = "https://api.pdok.nl/cbs/gebiedsindelingen/ogc/v1"
PDOK_COLLECTIONS = {"GM": "gemeente_gegeneraliseerd", "VT": "veiligthuisregio_gegeneraliseerd"}
ATTRIBUTION = "Bron: CBS, Kadaster"

# Netherlands bounding box (lon, lat) with a margin; used to sanity-check input.
NL_BBOX = (3.3, 50.7, 7.3, 53.6)
DECIMALS = 3  # the bundled source grid is 0.001 degree
SIMPLIFY_TOLERANCE_M = 100.0
_LON_SCALE = math.cos(math.radians(52.2))  # metres per lon degree relative to lat, mid-NL
_METRES_PER_DEGREE = 111_320.0

_FILE_RE = re.compile(r"^(gm|vt)_(\d{4})\.json\.gz$")


def _check_level(level: str) -> str:
    level = level.upper()
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {LEVELS}")
    return level


def _geodata():
    return resources.files("vtdata").joinpath("geodata")


@functools.cache
def _bundled_index() -> dict[str, tuple[int, ...]]:
    years: dict[str, list[int]] = {level: [] for level in LEVELS}
    for entry in _geodata().iterdir():
        match = _FILE_RE.match(entry.name)
        if match:
            years[match.group(1).upper()].append(int(match.group(2)))
    return {level: tuple(sorted(ys)) for level, ys in years.items()}


def bundled_years(level: str) -> list[int]:
    """The years for which boundaries of `level` (GM | VT) are bundled."""
    return list(_bundled_index()[_check_level(level)])


@functools.cache
def _load_bundled(level: str, year: int) -> pd.DataFrame:
    name = f"{level.lower()}_{year}.json.gz"
    blob = _geodata().joinpath(name).read_bytes()
    data = json.loads(gzip.decompress(blob))
    rows = [
        (f["code"], f["name"], json.dumps(f["geometry"], separators=(",", ":")))
        for f in data["features"]
    ]
    return pd.DataFrame(rows, columns=["code", "name", "geometry"])


def load_shapes(level: str, year: int) -> pd.DataFrame:
    """Bundled boundaries: DataFrame[code, name, geometry (GeoJSON string)]."""
    level = _check_level(level)
    year = int(year)
    if year not in _bundled_index()[level]:
        raise KeyError(f"no bundled {level} boundaries for {year}; bundled: {bundled_years(level)}")
    return _load_bundled(level, year).copy()


def boundary_year(level: str, period_year: int, available=None) -> int:
    """The year whose boundaries to draw a figure of `period_year` on."""
    level = _check_level(level)
    years = sorted(set(int(y) for y in (available if available is not None else bundled_years(level))))
    if not years:
        raise ValueError(f"no {level} boundaries available")
    period_year = int(period_year)
    if period_year in years:
        return period_year
    if period_year < years[0]:
        return years[0]
    return max(y for y in years if y <= period_year)


@functools.cache
def _membership() -> pd.DataFrame:
    text = _geodata().joinpath("gemeente_vt.csv").read_text(encoding="utf-8")
    rows = [
        (int(r["year"]), r["gemeente_code"].strip(), r["vt_code"].strip())
        for r in csv.DictReader(io.StringIO(text))
    ]
    return pd.DataFrame(rows, columns=["year", "gemeente", "vt_region"])


def load_membership() -> pd.DataFrame:
    """gemeente → VT-regio per year: DataFrame[year, gemeente, vt_region]."""
    return _membership().copy()


# --- loading into a database ---------------------------------------------------


def load_into(con, years, *, fetch: bool = False, timeout: float = 10.0) -> dict:
    """Fill `geo_shapes` and `gemeente_vt` for the boundary years of `years`.

    Existing rows of the same (level, year) are replaced, so calling it twice is
    harmless. See the module docstring for the year rules.
    """
    years = sorted({int(y) for y in years})
    notes: list[str] = []
    frames: list[pd.DataFrame] = []
    shape_counts: dict[tuple[str, int], int] = {}
    for level in LEVELS:
        bundled = bundled_years(level)
        wanted: dict[int, pd.DataFrame | None] = {}
        for year in years:
            if fetch and year > bundled[-1] and year not in wanted:
                fetched = fetch_pdok(level, year, timeout=timeout)
                if fetched is not None:
                    wanted[year] = fetched
                    continue
                notes.append(
                    f"{level} {year}: PDOK niet bereikbaar of leeg; gebundelde grenzen van {bundled[-1]} gebruikt"
                )
            wanted.setdefault(boundary_year(level, year), None)
        for year, frame in sorted(wanted.items()):
            frame = load_shapes(level, year) if frame is None else frame
            frame = frame.assign(level=level, year=year)[["level", "year", "code", "name", "geometry"]]
            frames.append(frame)
            shape_counts[(level, year)] = len(frame)

    membership = _membership()
    member_years = sorted({boundary_year("GM", y, membership["year"].unique()) for y in years}) if years else []
    members = membership[membership["year"].isin(member_years)]

    if frames:
        shapes = pd.concat(frames, ignore_index=True)
        con.register("_geo_shapes_new", shapes)
        try:
            con.execute(
                "DELETE FROM geo_shapes WHERE (level, year) IN (SELECT DISTINCT level, year FROM _geo_shapes_new)"
            )
            con.execute("INSERT INTO geo_shapes SELECT level, year, code, name, geometry FROM _geo_shapes_new")
        finally:
            con.unregister("_geo_shapes_new")
    if len(members):
        con.register("_gemeente_vt_new", members)
        try:
            con.execute("DELETE FROM gemeente_vt WHERE year IN (SELECT DISTINCT year FROM _gemeente_vt_new)")
            con.execute("INSERT INTO gemeente_vt SELECT year, gemeente, vt_region FROM _gemeente_vt_new")
        finally:
            con.unregister("_gemeente_vt_new")
    for note in notes:
        log.warning(note)
    return {
        "shapes": shape_counts,
        "membership": {int(y): int(n) for y, n in members.groupby("year").size().items()},
        "notes": notes,
    }


def _plain(name: str) -> str:
    """'Oost-Brabant (VT)' and 'oost brabant' -> 'oost brabant': names compared across sources."""
    name = re.sub(r"\s*\((vt|gemeente|pv)\)\s*$", "", str(name), flags=re.I)
    return " ".join(re.sub(r"[-_]", " ", name).split()).casefold()


def align_vt_codes(con) -> list[str]:
    """Give boundaries the Veilig Thuis-regio codes StatLine uses, matched by name.

    The boundary files code the region formed in 2023 as VT27; how StatLine codes
    it is not known. A boundary code that StatLine's RegioS does not list is
    renamed to the StatLine code of the region with the same name (and no
    boundary of its own that year), in `geo_shapes` and `gemeente_vt`, so maps,
    membership and "bestond niet" follow StatLine. Returns a Dutch note per rename.
    """
    statline = {_plain(n): c for c, n in con.execute("SELECT code, name FROM regions WHERE level = 'VT'").fetchall()}
    if not statline:
        return []
    notes = []
    for year, code, name in con.execute(
        "SELECT year, code, name FROM geo_shapes WHERE level = 'VT' AND code NOT IN (SELECT code FROM regions) ORDER BY year, code"
    ).fetchall():
        target = statline.get(_plain(name))
        taken = {c for (c,) in con.execute("SELECT code FROM geo_shapes WHERE level = 'VT' AND year = ?", [year]).fetchall()}
        if target is None or target in taken:
            continue
        con.execute("UPDATE geo_shapes SET code = ? WHERE level = 'VT' AND year = ? AND code = ?", [target, year, code])
        con.execute("UPDATE gemeente_vt SET vt_region = ? WHERE vt_region = ? AND year = ?", [target, code, year])
        notes.append(f"{name} {year}: grenscode {code} vervangen door de StatLine-code {target}")
    for note in notes:
        log.info(note)
    return notes


# --- simplification (shared with tools/build_geodata.py) -----------------------


def _segment_distance(p, a, b) -> float:
    """Distance from p to segment a-b, in latitude degrees (lon scaled)."""
    px, py = (p[0] - a[0]) * _LON_SCALE, p[1] - a[1]
    bx, by = (b[0] - a[0]) * _LON_SCALE, b[1] - a[1]
    length2 = bx * bx + by * by
    if length2 == 0:
        return math.hypot(px, py)
    t = max(0.0, min(1.0, (px * bx + py * by) / length2))
    return math.hypot(px - t * bx, py - t * by)


def _douglas_peucker(points, tolerance: float) -> set[int]:
    """Indices strictly between the ends that Douglas-Peucker keeps."""
    keep: set[int] = set()
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, best_index = -1.0, -1
        a, b = points[first], points[last]
        for i in range(first + 1, last):
            d = _segment_distance(points[i], a, b)
            if d > best:
                best, best_index = d, i
        if best_index >= 0 and best > tolerance:
            keep.add(best_index)
            stack.append((first, best_index))
            stack.append((best_index, last))
    return keep


def _farthest(points) -> int:
    return max(range(1, len(points) - 1), key=lambda i: _segment_distance(points[i], points[0], points[-1]))


def simplify_line(points, tolerance_m: float) -> list[tuple[float, float]]:
    """Douglas-Peucker on a line (an arc or a ring), keeping both end points.

    The line keeps at least its point farthest from the chord, and a closed
    line is split at its point farthest from the start first, so a ring made
    of one or two lines never collapses to a line segment.
    """
    points = [tuple(p) for p in points]
    n = len(points)
    if n <= 2:
        return points
    tolerance = tolerance_m / _METRES_PER_DEGREE
    keep = {0, n - 1}
    if points[0] == points[-1]:
        far = max(range(1, n - 1), key=lambda i: _segment_distance(points[i], points[0], points[0]))
        keep.add(far)
        for lo, hi in ((0, far), (far, n - 1)):
            part = points[lo : hi + 1]
            sub = _douglas_peucker(part, tolerance)
            if not sub and len(part) > 2:
                sub = {_farthest(part)}
            keep.update(lo + i for i in sub)
    else:
        sub = _douglas_peucker(points, tolerance)
        keep.update(sub or {_farthest(points)})
    return [points[i] for i in sorted(keep)]


def round_line(points, decimals: int = DECIMALS) -> list[tuple[float, float]]:
    """Round coordinates and drop the repeated points that rounding creates."""
    out: list[tuple[float, float]] = []
    for x, y in points:
        p = (round(float(x), decimals), round(float(y), decimals))
        if not out or out[-1] != p:
            out.append(p)
    return out


def ring_area(ring) -> float:
    """Signed area by the shoelace formula (square degrees)."""
    return 0.5 * sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1))


def close_ring(ring) -> list[tuple[float, float]] | None:
    """Drop repeated points and close the ring; None when it has collapsed."""
    out: list[tuple[float, float]] = []
    for p in ring:
        p = tuple(p)
        if not out or out[-1] != p:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    if len(out) < 4 or ring_area(out) == 0:
        return None
    return out


def polygons_of(geometry: dict) -> list:
    """The polygons (lists of rings) of a GeoJSON Polygon/MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unsupported geometry type {geometry['type']!r}")


def _in_ring(ring, x: float, y: float) -> bool:
    """Ray casting: whether (x, y) lies inside a closed ring."""
    inside = False
    for i in range(len(ring)):
        (x1, y1), (x2, y2) = ring[i][:2], ring[i - 1][:2]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def contains(geometry: dict, point: tuple[float, float]) -> bool:
    """Whether a GeoJSON Polygon/MultiPolygon contains the point (lon, lat), holes excluded."""
    x, y = point
    return any(
        polygon and _in_ring(polygon[0], x, y) and not any(_in_ring(hole, x, y) for hole in polygon[1:])
        for polygon in polygons_of(geometry)
    )


def inner_point(geometry: dict) -> tuple[float, float] | None:
    """A point surely inside the largest polygon: the middle of its widest horizontal chord.

    A centroid can fall outside a concave or ring-shaped gemeente; this cannot.
    None when no chord is found (a degenerate geometry).
    """
    polygons = [p for p in polygons_of(geometry) if p and p[0]]
    if not polygons:
        return None

    def box_area(polygon) -> float:
        xs = [p[0] for p in polygon[0]]
        ys = [p[1] for p in polygon[0]]
        return (max(xs) - min(xs)) * (max(ys) - min(ys))

    polygon = max(polygons, key=box_area)
    ys = sorted(p[1] for p in polygon[0])
    for fraction in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
        y = ys[0] + (ys[-1] - ys[0]) * fraction
        crossings = sorted(
            x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            for ring in polygon
            for i in range(len(ring))
            for (x1, y1), (x2, y2) in [(ring[i][:2], ring[i - 1][:2])]
            if (y1 > y) != (y2 > y)
        )
        chords = list(zip(crossings[0::2], crossings[1::2]))
        if chords:
            a, b = max(chords, key=lambda chord: chord[1] - chord[0])
            point = ((a + b) / 2, y)
            if contains({"type": "Polygon", "coordinates": polygon}, point):
                return point
    return None


def make_geometry(polygons: list) -> dict:
    """A GeoJSON Polygon (one part) or MultiPolygon with list coordinates."""
    polygons = [[[list(p) for p in ring] for ring in polygon] for polygon in polygons]
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def _simplify_geometry(geometry: dict, tolerance_m: float = SIMPLIFY_TOLERANCE_M) -> dict | None:
    """Per-ring simplification of a fetched geometry (no shared topology here)."""
    polygons = []
    for polygon in polygons_of(geometry):
        rings = [close_ring(round_line(simplify_line(ring, tolerance_m))) for ring in polygon]
        if rings and rings[0] is not None:
            polygons.append([rings[0]] + [r for r in rings[1:] if r is not None])
    return make_geometry(polygons) if polygons else None


def _in_bbox(geometry: dict) -> bool:
    x0, y0, x1, y1 = NL_BBOX
    return all(
        x0 <= x <= x1 and y0 <= y <= y1
        for polygon in polygons_of(geometry)
        for ring in polygon
        for x, y in ring
    )


# --- PDOK ----------------------------------------------------------------------


def pdok_url() -> str:
    return os.environ.get("VTDATA_PDOK_URL", PDOK_URL).rstrip("/")


def _get_json(url: str, timeout: float) -> dict:
    request = urllib.request.Request(url, headers={"Accept": "application/geo+json, application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def fetch_pdok(level: str, year: int, timeout: float = 10.0, max_pages: int = 20) -> pd.DataFrame | None:
    """Boundaries of one year from PDOK (OGC API Features, GeoJSON), or None.

    Any failure (network, HTTP error, bad JSON, no features for the year,
    coordinates outside the Netherlands) is logged and gives None, so the
    caller falls back to the bundled boundaries.
    """
    level = _check_level(level)
    year = int(year)
    query = urllib.parse.urlencode({"f": "json", "limit": 1000, "jaarcode": year})
    url: str | None = f"{pdok_url()}/collections/{PDOK_COLLECTIONS[level]}/items?{query}"
    rows: dict[str, tuple[str, str, str]] = {}
    try:
        for _ in range(max_pages):
            if url is None:
                break
            page = _get_json(url, timeout)
            for feature in page.get("features") or []:
                props = feature.get("properties") or {}
                code = str(props.get("statcode", "")).strip()
                jaar = props.get("jaarcode", year)
                if not code.startswith(level) or int(jaar) != year or not feature.get("geometry"):
                    continue
                geometry = _simplify_geometry(feature["geometry"])
                if geometry is None or not _in_bbox(geometry):
                    raise ValueError(f"unusable geometry for {code}")
                name = str(props.get("statnaam", code)).strip()
                rows[code] = (code, name, json.dumps(geometry, separators=(",", ":")))
            url = next(
                (link.get("href") for link in page.get("links") or [] if link.get("rel") == "next"),
                None,
            )
        if not rows:
            raise ValueError("no features for this year")
    except Exception as exc:  # noqa: BLE001 - any failure means: use the bundled data
        log.warning("PDOK %s %s not fetched (%s: %s); using bundled boundaries", level, year, type(exc).__name__, exc)
        return None
    return pd.DataFrame(sorted(rows.values()), columns=["code", "name", "geometry"])
