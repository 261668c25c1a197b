"""The Streamlit pieces of issue 10: image download buttons and session notes (AppTest)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from vtdata.outputs.notes import PRIVACY_LINE


def _app():
    from vtdata.ui.image_buttons import image_downloads
    from vtdata.ui.notes import notes_download, notes_field

    spec = {
        "data": {"values": [{"c": "Adviezen", "v": 2365}, {"c": "Meldingen", "v": 2515}]},
        "mark": "bar",
        "encoding": {"y": {"field": "c", "type": "nominal"}, "x": {"field": "v", "type": "quantitative"}},
    }
    image_downloads(spec, key="dist", filename="Verdeling Amsterdam", title="Verdeling", region="Amsterdam", period="2023")
    notes_field(
        "kerncijfers-dist",
        view_title="Kerncijfers – verdeling",
        region="Amsterdam",
        period="1e halfjaar 2023",
        figures=[("Amsterdam – Gestarte adviezen", "2.365")],
        link="http://localhost/kerncijfers?region=GM0363",
    )
    notes_download()


def test_image_buttons_and_notes_download(demo_db):
    at = AppTest.from_function(_app, default_timeout=60).run()
    assert not at.exception
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert labels[:2] == ["Download als PNG", "Download als SVG"]
    assert labels[2].startswith("Download gespreksverslag (0 notities)") and buttons[2].proto.disabled
    assert any(PRIVACY_LINE in c.value for c in at.caption)

    at.text_area[0].input("Herkennen we; navragen bij het wijkteam.").run()
    note = at.session_state["_vt_session_notes"]["kerncijfers-dist"]
    assert note.text == "Herkennen we; navragen bij het wijkteam."
    assert note.figures == [("Amsterdam – Gestarte adviezen", "2.365")]
    button = at.get("download_button")[2]
    assert button.proto.label.startswith("Download gespreksverslag (1 notitie)") and not button.proto.disabled


def test_the_deferred_image_is_the_framed_chart(demo_db):
    from vtdata.ui.image_buttons import _render

    spec = {"data": {"values": [{"c": "A", "v": 1}]}, "mark": "bar", "encoding": {"x": {"field": "v", "type": "quantitative"}}}
    svg = _render(spec, "svg", "Titel", "Utrecht", "2023", True, False).decode("utf-8")
    assert "Demonstratiegegevens, geen CBS-cijfers" in svg and "Utrecht · 2023" in svg
    assert _render(spec, "png", "Titel", "Utrecht", "2023", False, False)[:4] == b"\x89PNG"


def test_the_notes_counter_counts_a_note_on_the_run_it_is_written(demo_db):
    """The shell draws the download button after the page, so the label is never a run behind."""
    from tests.test_app_shell import run_app
    from vtdata.ui.theme import TAB_OVERVIEW
    from vtdata.ui.views.common import notes_key

    at = run_app({"region": "GM0363", "period": "2023HJ01"})
    at.switch_page("app_pages/kerncijfers.py").run()
    assert not at.exception
    at.session_state[notes_key("kerncijfers", TAB_OVERVIEW)] = True  # the notes expander opened
    at.run()
    at.text_area[0].input("Opvallend hoog; navragen.").run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert any(label.startswith("Download gespreksverslag (1 notitie)") for label in labels), labels
