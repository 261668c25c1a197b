"""Session notes: a notes field per view and the download of the whole session's notes.

``notes_field(view_key, *, view_title, region, period, figures, link=None)``
    A text area for the view (keyed by ``view_key``); its text and what the view
    showed (``figures``: (what, value) pairs, e.g. ``vtdata.outputs.notes.figure_lines(cells)``,
    or a function returning them)
    are kept in ``st.session_state`` only. ``link`` defaults to the current URL
    with its query parameters.
``notes_download(*, key="notes")``
    The download button of the "gespreksverslag" (Markdown) and the sentence that
    nothing is stored on the server after the session ends.
"""

from __future__ import annotations

import streamlit as st

from vtdata.outputs.notes import PRIVACY_LINE, Note, session_markdown
from vtdata.ui import data, url

STATE_KEY = "_vt_session_notes"


def _notes() -> dict[str, Note]:
    return st.session_state.setdefault(STATE_KEY, {})


def current_link() -> str:
    """The URL of this view, query parameters included, as a shareable link."""
    return url.current_link()


def notes_field(
    view_key: str,
    *,
    view_title: str,
    region: str,
    period: str,
    figures=None,
    link: str | None = None,
) -> None:
    """A notes field for one view; the note and the view's context live in session state.

    `figures`: the (what, value) pairs the view showed, or a function that returns them
    (called only when there is a note to keep).
    """
    widget_key = f"vt-note-{view_key}"
    notes = _notes()
    if widget_key not in st.session_state and view_key in notes:
        st.session_state[widget_key] = notes[view_key].text  # restored after a page switch
    text = st.text_area(
        "Notities bij deze weergave",
        key=widget_key,
        placeholder="Wat valt op? Wat verklaart het? Afspraken?",
        height=100,
    )
    st.caption(PRIVACY_LINE)  # not help=: Streamlit 1.67 labels a help icon "Help for ..." (English)
    if text.strip() or view_key in notes:
        notes[view_key] = Note(
            view_title=view_title,
            link=link if link is not None else current_link(),
            region=region,
            period=period,
            text=text,
            figures=list((figures() if callable(figures) else figures) or []),
        )


def notes_download(*, key: str = "notes") -> None:
    notes = _notes()  # the session's dict itself: the Markdown is built on click, with every note
    demo = data.get_db().is_demo
    written = sum(1 for n in notes.values() if n.text.strip())
    st.download_button(
        f"Download gespreksverslag ({written} notitie{'s' if written != 1 else ''})",
        data=lambda: session_markdown(list(notes.values()), demo=demo).encode("utf-8"),
        file_name="gespreksverslag-veilig-thuis.md",
        mime="text/markdown",
        on_click="ignore",
        key=f"dl-{key}",
        icon=":material/description:",
        disabled=written == 0,
    )
    st.caption(PRIVACY_LINE)
