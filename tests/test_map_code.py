"""The map's code is fetched early by the names of Streamlit's own chunks (`vtdata.ui.map_code`)."""

from __future__ import annotations

from vtdata.ui import map_code, theme


def test_the_installed_streamlit_has_the_map_chunks():
    """Fails after a Streamlit upgrade that renamed them: maps would then load only when asked for."""
    names = map_code.chunk_names()
    assert len(names) == len(map_code.CHUNKS)
    assert names[0].startswith("DeckGlJsonChart.") and names[1].startswith("webgl-device.")


def test_the_tabs_that_load_it_are_the_tabs_with_a_map():
    assert set(map_code.MAP_TABS) == {theme.TAB_MAP, theme.TAB_CHANGE}


def test_the_script_names_the_chunks_and_waits_for_idle_only_on_a_projector():
    for name in map_code.chunk_names():
        assert name in map_code.preload_script()
    assert "if (true)" in map_code.preload_script(at_once=True)
    assert "if (false)" in map_code.preload_script()
