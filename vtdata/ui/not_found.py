"""A Dutch page for a URL path the app does not have (instead of Streamlit's English dialog).

Streamlit 1.67 answers an unknown path with a "Page not found" dialog and the
home page. When the path of this run is not one of ours, `catch_all` gives
`st.navigation` a hidden page at exactly that path, so the app itself answers.
A nested path arrives here redirected to its first segment (vtdata.ui.nested_paths):
the page of that segment (or this page) then names the whole path that was asked.
"""

from __future__ import annotations

import difflib
import re

import streamlit as st

from vtdata.ui import url
from vtdata.ui.nested_paths import PARAM as REDIRECT_PARAM

SCRIPT = "app_pages/niet_gevonden.py"
_PATH_STATE = "_vt_unknown_path"
_NESTED_STATE = "_vt_nested_path"
# What st.Page accepts as a url_path (one segment, no slash).
_SEGMENT = re.compile(r"^[^/?#\s]{1,100}$")


def _requested_page_name() -> str | None:
    """The path segment this run was asked for ('' or None for the home page).

    Streamlit has no public API for it; its page manager holds it while the
    run resolves its page. Anything unexpected means: no catch-all.
    """
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        ctx = get_script_run_ctx()
        manager = ctx.pages_manager if ctx else None
        if manager is None or manager.intended_page_script_hash:
            return None
        return manager.intended_page_name or None
    except Exception:  # noqa: BLE001 -- an internal API: fall back to Streamlit's behaviour
        return None


def _redirected_from() -> str | None:
    """The nested path the server redirected from, taken out of the URL (it is no view choice)."""
    asked = url.get(REDIRECT_PARAM)
    if asked is None:
        return None
    url.drop(REDIRECT_PARAM)
    return asked.strip("/")[:200] or None


def catch_all(sections: dict[str, list]) -> list:
    """The hidden pages to add to `st.navigation`: one at the requested path when it is unknown."""
    name = _requested_page_name()
    nested = _redirected_from()
    known = {page.url_path for group in sections.values() for page in group}
    if not name or name in known or not _SEGMENT.match(name):
        if nested:
            st.session_state[_NESTED_STATE] = nested
        return []
    st.session_state[_PATH_STATE] = nested or name
    try:
        return [st.Page(SCRIPT, title="Pagina niet gevonden", url_path=name, visibility="hidden")]
    except Exception:  # noqa: BLE001 -- a path st.Page refuses: Streamlit's own answer stays
        return []


def notice(page) -> None:
    """Above a page reached from a nested path that does not exist: which page is shown instead."""
    asked = st.session_state.pop(_NESTED_STATE, None)
    if asked:
        st.warning(
            f"Deze app heeft geen pagina `/{asked.replace('`', '')}`; u ziet de pagina {page.title}.",
            icon=":material/link_off:",
        )


def render(sections: dict[str, list]) -> None:
    """The page: what was asked, the nearest page by name, and the way home."""
    asked = st.session_state.get(_PATH_STATE, "")
    pages = [page for group in sections.values() for page in group]
    st.title("Pagina niet gevonden")
    st.warning(
        f"Deze app heeft geen pagina `/{asked.replace('`', '')}`. Misschien is de link verkeerd overgenomen; "
        "kies hieronder of in de zijbalk een pagina.",
        icon=":material/link_off:",
    )
    by_path = {page.url_path: page for page in pages if page.url_path}
    nearest = difflib.get_close_matches(asked.split("/")[0].lower(), list(by_path), n=1, cutoff=0.6)
    if nearest:
        st.page_link(by_path[nearest[0]], label=f"Bedoelde u: {by_path[nearest[0]].title}?", icon=":material/arrow_forward:")
    home = next(page for page in pages if page.url_path == "")
    st.page_link(home, label="Naar de startpagina", icon=":material/home:")
