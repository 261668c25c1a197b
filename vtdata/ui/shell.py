"""The app's page chrome: page config, navigation, global selectors, then the chosen page (every script run of `streamlit_app.py`)."""

import streamlit as st

from vtdata.ui.data import get_db, show_first_build_message
from vtdata.ui.layout import page_style, demo_banner, refresh_notice, sidebar_footer
from vtdata.ui import navigation, not_found, presentation, warmup
from vtdata.ui.notes import notes_download
from vtdata.ui.state import render_global_selectors


def run() -> None:
    """One script run: the chrome around the page the URL asks for."""
    warmup.skip_direct_run_check()
    presenting = presentation.is_on()

    # The browser-tab icon is an emoji, drawn by the browser as an inline SVG: Streamlit 1.67
    # fetches a ":material/...:" page icon from fonts.gstatic.com (the icons inside the page
    # use its bundled font), and the app must work fully offline. Setting it here also keeps
    # the st.Page icons below out of the browser tab.
    st.set_page_config(
        page_title="Veilig Thuis in cijfers",
        page_icon="🏠",
        layout="wide",
        # pixels: wide enough for "Amsterdam-Amstelland (Veilig Thuis-regio)"; collapsed on a projector
        initial_sidebar_state="collapsed" if presenting else 380,
    )

    # The page scripts live in app_pages/, not pages/: with a pages/ folder beside this
    # file, Streamlit 1.67 runs the first request of a fresh server (and every AppTest
    # switch_page) in the legacy folder mode, which skips this script and its chrome.
    sections = navigation.pages()
    # The links are drawn by navigation.sidebar_links; an unknown path gets a Dutch page.
    unknown = not_found.catch_all(sections)
    page = st.navigation({**sections, "": unknown} if unknown else sections, position="hidden")

    # The background warm-up of the default views waits while a page runs.
    with warmup.page_running():
        db = get_db()  # builds a first database, or a Dutch message and a stop
        warmup.start(db.version)  # the default views, once per process and version
        show_first_build_message()
        page_style()
        demo_banner(db, plain=presenting)
        refresh_notice()
        render_global_selectors(db)
        presentation.apply()
        navigation.sidebar_links(sections)  # under the selectors: Regio and Periode stay above the fold
        with st.sidebar:
            notes_slot = st.container()  # filled after the page: a note written in this run counts
        sidebar_footer(db)
        not_found.notice(page)
        try:
            page.run()
        finally:
            with notes_slot:
                notes_download()  # the session's notes of every view, as one Markdown "gespreksverslag"
