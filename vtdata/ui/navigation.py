"""The app's pages and their grouping in the sidebar (the URL paths are a contract).

`st.Page` resolves its script path on the file system (a realpath per page, on
every run of every session). The pages are described once per process;
each run gets fresh copies, because a page is marked as run once it ran.
"""

from __future__ import annotations

import copy
import functools

import streamlit as st

from vtdata.catalog import THEMES


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
