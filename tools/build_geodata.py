"""Build the bundled boundary files in vtdata/geodata/ from the shared TopoJSON.

Run once by a developer; the output is committed and the app never reads the
source directory. Usage::

    python tools/build_geodata.py --source PATH/TO/shared/geo [--tolerance-m 150]

What it does, per level (gemeente, Veilig Thuis-regio) and year:

1. Decode the quantised TopoJSON with a small decoder of our own: dequantise
   each arc with the file's transform (delta-decoding the positions), then
   assemble polygon rings from arc indices (a negative index ~i means arc i
   reversed).
2. Simplify every *arc* once (Douglas-Peucker, end points kept; the same
   `vtdata.storage.geo.simplify_line` the PDOK fetch uses), before the rings are assembled. Two neighbouring polygons share the same arc, so they
   share the same simplified line: no gaps or overlaps appear between them.
3. Round the coordinates to 3 decimals (the source grid is 0.001 degree) and
   drop repeated points.
4. Write `<level>_<year>.json.gz`: {"level", "year", "features": [{"code",
   "name", "geometry"}]} with a GeoJSON (Multi)Polygon geometry per feature.

shapely is not needed: the checks below (closed rings, bounding box, unique
codes) are plain Python. The tool prints a summary table of sizes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vtdata.storage.geo import close_ring, make_geometry, polygons_of, round_line, simplify_line  # noqa: E402

LEVELS = {"GM": "gemeente", "VT": "veiligthuisregio"}
OUT_DIR = Path(__file__).resolve().parent.parent / "vtdata" / "geodata"
DEFAULT_TOLERANCE_M = {"GM": 100.0, "VT": 200.0}


# --- TopoJSON decoding -------------------------------------------------------


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """All arcs as lists of (lon, lat), dequantised with the file's transform."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for p in arc:
            x += p[0]
            y += p[1]
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_from_arcs(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """One ring from its arc indices; each arc starts where the previous ended."""
    ring: list[tuple[float, float]] = []
    for index in indices:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        if ring and ring[-1] == points[0]:
            ring.extend(points[1:])
        else:
            ring.extend(points)
    return ring


def geometry_rings(geometry: dict) -> list[list[list[int]]]:
    """The arc indices of a Polygon/MultiPolygon as a list of polygons."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    raise ValueError(f"unsupported geometry type {geometry['type']}")


# --- polygons ----------------------------------------------------------------


def feature_geometry(geometry: dict, arcs) -> dict:
    """A GeoJSON geometry from the (already simplified) arcs of one feature."""
    polygons = []
    for polygon in geometry_rings(geometry):
        rings = [close_ring(ring_from_arcs(r, arcs)) for r in polygon]
        if rings[0] is None:
            continue  # an islet that vanished at this scale
        polygons.append([rings[0]] + [r for r in rings[1:] if r is not None])
    if not polygons:
        raise ValueError("feature lost all its polygons")
    return make_geometry(polygons)


# Names the source spells otherwise than CBS does (StatLine: "West-Brabant").
CBS_NAMES = {"West-brabant": "West-Brabant"}


def build_level_year(path: Path, level: str, year: int, tolerance_m: float) -> dict:
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = [round_line(simplify_line(a, tolerance_m)) for a in decode_arcs(topology)]
    (obj,) = topology["objects"].values()
    features = []
    for geometry in obj["geometries"]:
        props = geometry["properties"]
        features.append(
            {
                "code": props["statcode"].strip(),
                "name": CBS_NAMES.get(props["statnaam"].strip(), props["statnaam"].strip()),
                "geometry": feature_geometry(geometry, arcs),
            }
        )
    features.sort(key=lambda f: f["code"])
    return {"level": level, "year": year, "features": features}


def check(data: dict) -> None:
    codes = [f["code"] for f in data["features"]]
    assert len(codes) == len(set(codes)), "duplicate codes"
    for f in data["features"]:
        for polygon in polygons_of(f["geometry"]):
            for ring in polygon:
                assert ring[0] == ring[-1] and len(ring) >= 4, f["code"]
                for x, y in ring:
                    assert 3.3 <= x <= 7.3 and 50.7 <= y <= 53.6, f["code"]


def encode(data: dict) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    # mtime=0 keeps the output byte-identical between runs.
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("../shared/geo"), help="directory with the TopoJSON files")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--tolerance-gm", type=float, default=DEFAULT_TOLERANCE_M["GM"], help="metres")
    parser.add_argument("--tolerance-vt", type=float, default=DEFAULT_TOLERANCE_M["VT"], help="metres")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    tolerances = {"GM": args.tolerance_gm, "VT": args.tolerance_vt}

    print("| file | features | points | raw KB | gzip KB |")
    print("|---|---:|---:|---:|---:|")
    total = 0
    for level, stem in LEVELS.items():
        for path in sorted(args.source.glob(f"{stem}_*.topojson")):
            year = int(path.stem.rsplit("_", 1)[1])
            data = build_level_year(path, level, year, tolerances[level])
            check(data)
            blob = encode(data)
            raw = len(json.dumps(data, separators=(",", ":")))
            points = sum(len(r) for f in data["features"] for r in _rings(f["geometry"]))
            name = f"{level.lower()}_{year}.json.gz"
            print(f"| {name} | {len(data['features'])} | {points} | {raw / 1024:.0f} | {len(blob) / 1024:.0f} |")
            total += len(blob)
            if not args.dry_run:
                (args.out / name).write_bytes(blob)
    print(f"\ntotal: {total / 1024:.0f} KB")
    return 0


def _rings(geometry):
    return [r for p in polygons_of(geometry) for r in p]


if __name__ == "__main__":
    sys.exit(main())
