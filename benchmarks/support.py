"""Shared by the benchmark scripts (not a benchmark itself: run_all only runs bench_*.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path


def benchmark_database(given: str | None, tmp: str) -> Path:
    """The database to measure: the one given, else a fresh demo database in `tmp`."""
    if given:
        return Path(given)
    from vtdata.storage.refresh import refresh

    path = Path(tmp) / "vtdata.duckdb"
    refresh(source="demo", db=path)
    return path


def start_server(db: Path, log_path: Path, timeout: float = 90.0) -> tuple[subprocess.Popen, str]:
    """`streamlit run` on a free loopback port serving `db`, once /_stcore/health answers ok: (process, base URL)."""
    from tests.e2e.helpers import streamlit_server

    return _started(lambda port, log: streamlit_server(db, port, log), log_path, timeout)


# A Streamlit page with nothing of the app: the framework's floor for a visit and a click.
# With `?kaart=gm` or `?kaart=vt`, the floor of a map: a "Weergave" selectbox whose "Kaart" shows that
# level's boundaries (`write_minimal_shapes`) as one pickable layer at the size of vtdata's map (`breed`,
# `hoog` in pixels), and a click on the map writes the region chosen. `open=1` starts on the map.
MINIMAL_PAGE = """import json

import streamlit as st

level = st.query_params.get("kaart")
if level:
    import pydeck as pdk

    st.set_page_config(layout="wide")  # room for a map as wide as vtdata's

    @st.cache_resource
    def deck(level: str) -> pdk.Deck:
        from pydeck.bindings.json_tools import default_serialize

        with open(f"{level}.json", encoding="utf-8") as file:
            regions = json.load(file)
        layer = pdk.Layer("GeoJsonLayer", regions, id="regions", pickable=True, auto_highlight=True,
                          get_fill_color=[65, 182, 196], get_line_color=[255, 255, 255], line_width_min_pixels=1)
        view = pdk.ViewState(latitude=52.17, longitude=5.29, zoom=5.8)
        made = pdk.Deck(layers=[layer], initial_view_state=view, map_provider=None, tooltip={"text": "{name}"})
        text = json.dumps(made, default=default_serialize, sort_keys=True, separators=(",", ":"))
        made.to_json = lambda: text  # compact, as vtdata sends its maps: pydeck's indented JSON is 5x larger
        return made

    shown = st.selectbox("Weergave", ["Tekst", "Kaart"], index=1 if st.query_params.get("open") else 0)
    if shown == "Kaart":
        size = {"width": int(st.query_params.get("breed", 700)), "height": int(st.query_params.get("hoog", 440))}
        event = st.pydeck_chart(deck(level), **size, on_select="rerun", selection_mode="single-object", key="kaart")
        picked = event.selection.objects.get("regions") or [{}]
        st.write(f"Gekozen: {picked[0].get('properties', {}).get('name', 'geen')}")
    st.stop()

choice = st.selectbox("Keuze", ["Een", "Twee", "Drie"])
st.write(f"Gekozen: {choice}")
first, second = st.tabs(["Eerste", "Tweede"])
first.write("Tekst op het eerste tabblad")
second.write("Tekst op het tweede tabblad")
"""
MINIMAL_YEAR = 2023  # the boundaries of the minimal page's maps


def write_minimal_shapes(folder: Path, db: Path) -> None:
    """The minimal page's map data: `gm.json` and `vt.json` in `folder`, GeoJSON of the boundaries in `db`
    (the same shapes vtdata draws), each feature with its `code` and `name`."""
    import json

    from vtdata.storage.queries import open_database

    database = open_database(db)
    for level in ("GM", "VT"):
        features = [
            {"type": "Feature", "geometry": json.loads(row.geometry), "properties": {"code": row.code, "name": row.name}}
            for row in database.shapes(level, MINIMAL_YEAR).itertuples()
        ]
        text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
        (folder / f"{level.lower()}.json").write_text(text, encoding="utf-8")


def start_minimal_server(folder: Path, log_path: Path, timeout: float = 90.0) -> tuple[subprocess.Popen, str]:
    """`streamlit run` of MINIMAL_PAGE, written to `folder`, on a free loopback port: (process, base URL)."""
    script = folder / "minimal_page.py"
    script.write_text(MINIMAL_PAGE, encoding="utf-8")
    env = dict(os.environ, PYTHONUNBUFFERED="1", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")

    def spawn(port: int, log) -> subprocess.Popen:
        command = [
            sys.executable, "-m", "streamlit", "run", str(script),
            "--server.headless", "true",
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ]
        return subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    return _started(spawn, log_path, timeout)


def _started(spawn: Callable, log_path: Path, timeout: float) -> tuple[subprocess.Popen, str]:
    """Start `spawn(port, log)` on a free port and wait until /_stcore/health answers ok."""
    from tests.e2e.conftest import _free_port, _healthy, _stop

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = spawn(port, log)
    deadline = time.monotonic() + timeout
    while not _healthy(url):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(process)
            raise SystemExit(f"streamlit did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
        time.sleep(0.25)
    return process, url


def region_for_pages(db: Path, region: str, period: str) -> Callable[[str], str]:
    """The region to measure a URL path for: `region`, or its VT-regio for a theme held only in VT-regio tables.

    Such a theme shows just a message for a gemeente: measured for the gemeente's
    VT-regio, its charts and map are in the figure.
    """
    from vtdata.model.catalog import THEMES_BY_SLUG
    from vtdata.storage.queries import open_database

    database = open_database(db)
    holding = set(database.tables_holding(region))
    vt_region = database.vt_region_of(region, int(period[:4]))

    def region_for(path: str) -> str:
        theme = THEMES_BY_SLUG.get(path.strip("/"))
        return region if theme is None or holding & set(theme.tables) else vt_region

    return region_for
