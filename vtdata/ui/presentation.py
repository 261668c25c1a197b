"""Presentation mode (`?presentatie=1`) for discussion sessions on a projector.

One view per screen, stepped with "Vorige / Volgende" (or the arrow keys),
the step kept in the URL (`stap`), large type, explanations folded into an
"Uitleg" expander, and no developer text. Like region and period, the mode is
re-applied to the URL on every run, because page switches in Streamlit 1.67
keep only the query parameters bound to widgets.
"""

from __future__ import annotations

import copy

import streamlit as st

from vtdata.ui import url
from vtdata.ui.element_code import preload_script

PARAM = "presentatie"
STEP_PARAM = "stap"
_STATE = "_vt_presentatie"
_STEP = "_vt_stap"

# Vega-Lite sizes on a projector: axis labels >= 14 px, titles >= 18 px.
LABEL_SIZE = 15
TITLE_SIZE = 18

CSS = """
<style>
h1 { font-size: 2.1rem !important; }
h2, h3 { font-size: 1.6rem !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
.vt-head th { font-size: 1.15rem !important; }
.vt-head td:first-child { font-size: 1.15rem !important; }
.vt-head .vt-n { font-size: 1.65rem !important; display: block !important; line-height: 1.1; }
/* rate and change on one line under the number: seven topics fit 1280x720 */
.vt-head .vt-sub, .vt-head .vt-chg { font-size: 0.95rem !important; display: inline !important; margin-left: 0.45rem; }
.vt-head td { padding-top: 0.12rem !important; padding-bottom: 0.12rem !important; }
[data-testid="stMainBlockContainer"] { padding-top: 3.2rem; }
h1 { padding-top: 0.4rem !important; }
</style>
"""

KEYS_JS = """
<script>
(function () {
  const doc = document;  // the app's own document, also when a page embeds the app
  if (doc.__vtPresentationKeys) return;
  doc.__vtPresentationKeys = true;
  doc.addEventListener("keydown", function (event) {
    const target = event.target || {};
    if (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.isContentEditable) return;
    const label = event.key === "ArrowRight" ? "Volgende" : event.key === "ArrowLeft" ? "Vorige" : null;
    if (!label) return;
    const button = [...doc.querySelectorAll("button")].find(b => b.innerText.trim().endsWith(label));
    if (button && !button.disabled) { button.click(); event.preventDefault(); }
  });
})();
</script>
"""


def _url_flag() -> bool | None:
    """What the link says of the mode (None: nothing, the session decides)."""
    return url.link_view().presenting if url.has(PARAM) else None


def is_on() -> bool:
    """Whether this run presents; the URL wins over what the session remembered."""
    flag = _url_flag()
    if flag is not None:
        st.session_state[_STATE] = flag
    return bool(st.session_state.get(_STATE, False))


def apply() -> bool:
    """Keep the mode in the URL and draw the sidebar toggle; returns whether it is on."""
    on = is_on()
    if on:
        url.put(PARAM, "1")
    else:
        url.drop(PARAM)

    def toggled():
        st.session_state[_STATE] = st.session_state["_vt_presentatie_toggle"]
        if st.session_state[_STATE]:
            url.put(PARAM, "1")
        else:
            url.drop(PARAM)

    st.session_state["_vt_presentatie_toggle"] = on
    # A caption close under the switch, not help=: Streamlit 1.67 labels a help icon "Help for ..." (English).
    with st.sidebar.container(gap=None):
        st.toggle("Presentatiemodus", key="_vt_presentatie_toggle", on_change=toggled)
        st.caption("Eén weergave per scherm; stap met ← en →.")
    if on:
        st.html(CSS)
    return on


def step(n_steps: int, labels: list[str], scope: str, title: str) -> int:
    """The title with Vorige / Volgende buttons beside it (and the arrow keys); returns the
    current step (0-based), kept in `stap` (1-based)."""
    wanted = url.link_view().step
    current = wanted - 1 if wanted <= n_steps else 0
    url.put(STEP_PARAM, str(current + 1))

    def go(delta: int):
        url.put(STEP_PARAM, str(min(max(current + delta, 0), n_steps - 1) + 1))

    title_col, prev_col, next_col = st.columns([7, 1.2, 1.4], vertical_alignment="center")
    title_col.markdown(f"## {title}\n**{current + 1}/{n_steps} · {labels[current]}**")
    prev_col.button("Vorige", key=f"vt-prev-{scope}", on_click=go, args=(-1,), disabled=current == 0, icon=":material/arrow_back:")
    next_col.button("Volgende", key=f"vt-next-{scope}", on_click=go, args=(1,), disabled=current == n_steps - 1, icon=":material/arrow_forward:")
    st.html(KEYS_JS + preload_script(presenting=True), unsafe_allow_javascript=True)  # a map and a chart are a step away
    return current


def enlarge(spec: dict) -> dict:
    """A copy of a Vega-Lite spec with projector-sized text."""
    big = copy.deepcopy(spec)
    config = big.setdefault("config", {})
    for part in ("axis", "legend", "header"):
        entry = config.setdefault(part, {})
        entry.update({"labelFontSize": LABEL_SIZE, "titleFontSize": LABEL_SIZE + 1})
    config.setdefault("title", {})["fontSize"] = TITLE_SIZE
    _enlarge_text_marks(big)
    return big


def _enlarge_text_marks(node) -> None:
    if isinstance(node, dict):
        mark = node.get("mark")
        if isinstance(mark, dict) and mark.get("type") == "text":
            mark["fontSize"] = max(int(mark.get("fontSize", 11) or 11), LABEL_SIZE)
        for value in node.values():
            _enlarge_text_marks(value)
    elif isinstance(node, list):
        for item in node:
            _enlarge_text_marks(item)
