"""The app's pages and their grouping in the sidebar (the URL paths are a contract).

`st.Page` resolves its script path on the file system (a realpath per page, on
every run of every session). The pages are described once per process;
each run gets fresh copies, because a page is marked as run once it ran.
"""

from __future__ import annotations

import copy
import functools

import streamlit as st

from vtdata.model.catalog import THEMES


@functools.lru_cache(maxsize=1)
def _templates() -> dict[str, list]:
    home = st.Page(
        "app_pages/home.py", title="Handelingsprotocol", icon=":material/account_tree:", default=True
    )
    themes = {
        t.slug: st.Page(f"app_pages/{t.slug.replace('-', '_')}.py", title=t.title, icon=t.icon, url_path=t.slug)
        for t in THEMES
    }
    profile = st.Page("app_pages/regioprofiel.py", title="Regioprofiel", icon=":material/summarize:", url_path="regioprofiel")
    colofon = st.Page("app_pages/colofon.py", title="Colofon", icon=":material/info:", url_path="colofon")
    return {
        "Overzicht": [home, themes["kerncijfers"], profile],
        "Adviezen en meldingen": [
            themes["eerdere-betrokkenheid"],
            themes["rol-en-organisatie"],
            themes["duur-geweld"],
            themes["aard-geweld"],
        ],
        "Beoordeling en vervolg": [
            themes["veiligheid"],
            themes["uitkomsten-onderzoek"],
            themes["overdrachten"],
        ],
        "Over deze app": [colofon],
    }


def pages() -> dict[str, list]:
    """The sections and pages for `st.navigation`, new page objects for this run."""
    return {section: [copy.copy(page) for page in group] for section, group in _templates().items()}


NAV_CSS = """
<style>
/* the page list sits tight, like a menu: Streamlit spaces every element 1rem apart */
.st-key-vt-nav { gap: 0 !important; }
.st-key-vt-nav .vt-nav-h { margin: 0.7rem 0 0.15rem 0.5rem; font-size: 0.875rem; font-weight: 600; color: #31333f; }
.st-key-vt-nav [data-testid="stPageLink-NavLink"] { padding-top: 0.05rem; padding-bottom: 0.05rem; }
</style>
"""


def sidebar_links(sections: dict[str, list]) -> None:
    """The page list in the sidebar, drawn by the app rather than by `st.navigation`.

    Streamlit 1.67's own sidebar navigation nests its section headers and items
    in a way that breaks list semantics (axe: `list`, `listitem`), and says
    "View more" in English; these are plain links under plain headings.
    Call `st.navigation(..., position="hidden")` with the same `sections`.
    """
    with st.sidebar, st.container(key="vt-nav"):
        st.html(NAV_CSS)
        for section, group in sections.items():
            st.html(f'<p class="vt-nav-h">{section}</p>')
            for page in group:
                st.page_link(page, label=page.title, icon=page.icon)
