"""The gespreksverslag: the session's notes with the figures that were on screen."""

from __future__ import annotations

from datetime import datetime, UTC

import pandas as pd

from vtdata.outputs.notes import PRIVACY_LINE, Note, figure_lines, session_markdown
from vtdata.format import format_value


def test_markdown_holds_every_written_note_with_its_context_and_figures():
    notes = [
        Note("Kerncijfers – verdeling", "http://localhost:8501/kerncijfers?region=GM0363&period=2023HJ01",
             "Amsterdam", "1e halfjaar 2023", "Meer adviezen dan verwacht.\n\nNavragen bij wijkteams.",
             [("Amsterdam – Gestarte adviezen", "2.365"), ("Nederland – Gestarte adviezen", "66.155")]),
        Note("Veiligheid", "http://x/veiligheid", "Utrecht", "2023", "   ", [("Utrecht – Acuut", "10")]),
    ]
    text = session_markdown(notes, created=datetime(2026, 12, 4, 14, 5, tzinfo=UTC))
    assert text.startswith("# Gespreksverslag")
    assert "Gemaakt op 4 december 2026, 15:05." in text  # Dutch time, the app's one style
    assert "## Kerncijfers – verdeling" in text
    assert "- Regio: Amsterdam" in text and "- Periode: 1e halfjaar 2023" in text
    assert "<http://localhost:8501/kerncijfers?region=GM0363&period=2023HJ01>" in text
    assert "| Amsterdam – Gestarte adviezen | 2.365 |" in text
    assert "| Nederland – Gestarte adviezen | 66.155 |" in text
    assert "> Meer adviezen dan verwacht.\n>\n> Navragen bij wijkteams." in text
    assert "## Veiligheid" not in text  # an empty note is left out
    assert PRIVACY_LINE in text
    assert "Bron: CBS StatLine" in text


def test_demo_session_says_so_and_an_empty_session_too():
    text = session_markdown([], demo=True)
    assert "demonstratiegegevens, geen cbs-cijfers" in text.lower()
    assert "geen notities" in text


def test_figure_lines_from_the_cells_a_chart_shows(demo_db):
    from vtdata.storage.queries import open_database
    from vtdata.figures.view_cells import to_cells
    from vtdata.model.view_spec import measures_view

    db = open_database(demo_db)
    measures = db.measures("84847NED")
    spec = measures_view("84847NED", measures, group=None)
    obs = db.observations("84847NED", regions=["GM0363"], periods=["2023HJ01"], measures=spec.category_keys)
    cells = to_cells(obs, spec)
    lines = figure_lines(cells)
    assert len(lines) == len(spec.category_keys)
    # independently: the raw observation formatted the Dutch way
    first = obs.iloc[0]
    expected = format_value(first["value"], first["unit"], int(first["decimals"]), bool(first["suppressed"]))
    assert (f"Amsterdam – 1e halfjaar 2023 – {first['measure_title']}", expected) in lines
    text = session_markdown([Note("Kerncijfers", "l", "Amsterdam", "1e halfjaar 2023", "notitie", lines)])
    assert f"| Amsterdam – 1e halfjaar 2023 – {first['measure_title']} | {expected} |" in text


def test_pipes_in_titles_do_not_break_the_table():
    cells = pd.DataFrame({"region_title": ["A|B"], "category_title": ["x"], "value_label": ["5"]})
    text = session_markdown([Note("V", "l", "r", "p", "t", figure_lines(cells))])
    assert "| A\\|B – x | 5 |" in text
