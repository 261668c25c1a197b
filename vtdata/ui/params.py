"""View choices kept in the URL (through `vtdata.ui.url`), so a copied link reproduces the view.

A value in the link that is not a valid option falls back to the default, is
dropped from the URL and leaves a short Dutch note for the page to show.
"""

from __future__ import annotations

import streamlit as st

from vtdata.ui import url

_NOTES = "_vt_theme_notes"


def reset_notes() -> None:
    st.session_state[_NOTES] = []


def notes() -> list[str]:
    return st.session_state.setdefault(_NOTES, [])


def add_note(text: str) -> None:
    notes().append(text)


def param(name: str, options: list[str], default: str) -> str:
    """The value of query param `name` (as `View.from_query` reads it) if valid, else `default` (and the param is dropped)."""
    raw = url.link_view().get(name)
    if raw in options:
        return raw
    if raw or url.get(name):  # a value the options do not hold, or one the View could not read
        add_note(f"De keuze '{name}' in de link bestaat hier niet; de standaardkeuze wordt getoond.")
        url.drop(name)
    return default


def set_param(name: str, value, default) -> None:
    """Keep a choice in the URL; a default is left out, so links stay short."""
    if value is None or value == default or value == []:
        url.drop(name)
    else:
        url.put(name, list(value) if isinstance(value, (list, tuple)) else value)


def choice(widget, label: str, options: list[str], *, name: str, default: str, scope: str, labels: dict[str, str], where: str = "", **kw) -> str:
    """A selectbox / radio / segmented control whose value is kept in query param `name`."""
    if not options:
        return default
    if default not in options:
        default = options[0]
    value = param(name, options, default)
    wkey = f"vt-{scope}-{name}{where}"
    if wkey in st.session_state and st.session_state[wkey] not in options:
        del st.session_state[wkey]

    def sync():
        set_param(name, st.session_state[wkey], default)

    if wkey not in st.session_state:
        st.session_state[wkey] = value
    if widget is st.selectbox:
        kw.setdefault("placeholder", "Kies een optie")  # Streamlit's own is "Choose an option"
    return widget(label, options, format_func=lambda k: labels.get(k, k), key=wkey, on_change=sync, **kw)


def multi_choice(label: str, options: list[str], *, name: str, default: list[str], scope: str, labels: dict[str, str], **kw) -> list[str]:
    """A multiselect kept in the repeated query param `name`; unknown values are dropped with a note."""
    raw = list(url.link_view().get(name, ()))
    valid = [v for v in raw if v in options]
    if len(valid) != len(raw):
        add_note(f"Een of meer keuzes in de link ({name}) bestaan hier niet en zijn weggelaten.")
    wkey = f"vt-{scope}-{name}"
    if wkey in st.session_state and not set(st.session_state[wkey]) <= set(options):
        del st.session_state[wkey]
    if wkey not in st.session_state:
        st.session_state[wkey] = valid or default

    def sync():
        set_param(name, st.session_state[wkey], default)

    kw.setdefault("placeholder", "Kies een of meer")  # Streamlit's own is "Choose options"
    return st.multiselect(label, options, format_func=lambda k: labels.get(k, k), key=wkey, on_change=sync, **kw)
