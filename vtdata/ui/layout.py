"""Page chrome shared by every page: the demo banner and the sidebar footer."""

from __future__ import annotations

import streamlit as st

DEMO_BANNER = (
    "**Demonstratiegegevens, geen echte CBS-cijfers.** De echte cijfers: "
    "`python -m vtdata refresh` (zie de colofon)."
)


REFRESH_RUNNING = (
    "Er worden nieuwe cijfers opgehaald bij CBS StatLine. De app blijft bruikbaar; "
    "zodra de nieuwe database klaar is, toont de volgende klik de nieuwe cijfers."
)


DEMO_BANNER_PLAIN = "**Let op:** deze cijfers zijn verzonnen demonstratiecijfers, geen echte CBS-cijfers."


PAGE_CSS = """
<style>
/* the figures start higher: Streamlit's default leaves ~6rem above the first element */
[data-testid="stMainBlockContainer"] { padding-top: 3.6rem; }
h1 { font-size: 2.3rem !important; padding-bottom: 0.3rem !important; }
/* WCAG 1.4.3: Streamlit draws captions in the text colour at opacity 0.6 (#828180, contrast 3.88
   on white); this grey at full opacity is 6.1 (5.3 on the sidebar's grey), code in a caption too */
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] code { color: #5e5d5b !important; }
/* Streamlit's element toolbars ("Show data", "Fullscreen", "Download as CSV", "Search") speak
   English only; every chart and table has the Dutch "Afbeelding" menu and "Download als CSV" */
[data-testid="stElementToolbar"] { display: none !important; }
/* a search without matches: Streamlit's fixed "No results" (its only option without data-key) in Dutch */
[data-testid="stSelectboxVirtualDropdown"] [role="option"]:not([data-key]) > span { font-size: 0; }
[data-testid="stSelectboxVirtualDropdown"] [role="option"]:not([data-key]) > span::after {
  content: "Geen resultaten"; font-size: 1rem;
}
/* WCAG 2.4.7: a visible focus on everything Tab reaches; Streamlit's page links, its main area,
   the map and a selectbox after a choice show none of their own */
a:focus-visible, [data-testid="stMain"]:focus-visible, [data-testid="stDeckGlJsonChart"]:focus-visible,
[data-testid="stSelectbox"] div:has(> input:focus) {
  outline: 3px solid #8a1a4b !important; outline-offset: 1px;
}
/* Streamlit's skip link says "Skip to main content" */
[data-testid="stSkipToContent"] { font-size: 0 !important; }
[data-testid="stSkipToContent"]::after { content: "Naar de inhoud"; font-size: 1rem; }
</style>
"""


def page_style() -> None:
    st.html(PAGE_CSS)


def demo_banner(db, *, plain: bool = False) -> None:
    """A clear warning on every page when the database holds demo data (in plain words on a projector)."""
    if db.is_demo:
        st.warning(DEMO_BANNER_PLAIN if plain else DEMO_BANNER, icon=":material/science:")


def refresh_notice() -> None:
    """Say so while a refresh runs; the published version keeps serving meanwhile."""
    from vtdata.store import db_path, refresh_running

    if refresh_running(db_path()):
        st.info(REFRESH_RUNNING, icon=":material/sync:")


def sidebar_footer(db) -> None:
    """Where the figures come from, in one line under the selectors."""
    from vtdata.format import format_datetime

    meta = db.meta()
    source = "demonstratiegegevens" if db.is_demo else "CBS StatLine"
    when = format_datetime(meta.get("refreshed_at"))
    with st.sidebar:
        st.caption(
            f"Bron: {source}" + (f", bijgewerkt {when}" if when else "") + ". "
            "\\* = voorlopig cijfer; *geheim* = niet gepubliceerd (geheim of onbekend)."
        )


def source_label(table_id: str) -> str:
    """'Bron: ...' for a chart caption; demo data never pass for CBS figures."""
    from vtdata.ui import data

    if data.is_demo():
        return f"Bron: demonstratiegegevens in de vorm van CBS-tabel {table_id} (geen echte CBS-cijfers)"
    return f"Bron: CBS StatLine, tabel {table_id}"
