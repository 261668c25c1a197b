"""The map's and the chart's code are fetched early by the names of Streamlit's own chunks (`vtdata.ui.element_code`)."""

from __future__ import annotations

import json
import re

from vtdata.ui import element_code, theme


def test_the_installed_streamlit_has_the_chunks():
    """Fails after a Streamlit upgrade that renamed them: maps and charts would then load only when asked for."""
    for patterns in (element_code.MAP_CHUNKS, element_code.CHART_CHUNKS):
        names = element_code.chunk_names(patterns)
        assert len(names) == len(patterns), patterns
        assert all(name.startswith(pattern.split("*")[0]) for name, pattern in zip(names, patterns))


def test_the_tabs_that_load_it_are_the_tabs_with_a_map():
    assert set(element_code.MAP_TABS) == {theme.TAB_MAP, theme.TAB_CHANGE}


def _lists(script: str) -> tuple[list[str], list[str]]:
    """What the script loads when the browser is idle, and when a map tab is near."""
    idle = json.loads(re.search(r"const idle = (\[.*?\]);", script).group(1))
    near = json.loads(re.search(r"names = (\[.*?\]);", script).group(1))
    return idle, near


def test_a_projector_loads_the_map_and_the_chart_when_idle_a_page_the_map_when_a_map_tab_is_near():
    map_names = list(element_code.chunk_names(element_code.MAP_CHUNKS))
    chart_names = list(element_code.chunk_names(element_code.CHART_CHUNKS))
    assert _lists(element_code.preload_script(presenting=True)) == (map_names + chart_names, map_names)
    assert _lists(element_code.preload_script()) == ([], map_names)
