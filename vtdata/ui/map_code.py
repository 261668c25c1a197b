"""Fetch deck.gl's code in the browser before the first map is asked for.

Streamlit loads its map component (3 MB of JavaScript) and deck.gl's WebGL device only when
the first map element arrives, so the first Kaart tab or presentation step waits for that on
top of the server's answer (about 0.4-0.6 s of a 2-core machine). A first visit shows no map
and does not load it (tests/e2e/test_offline.py). The page loads it when a map is near:

- in presentation mode as soon as the browser is idle (the step after the headline is the map);
- elsewhere when the pointer or the keyboard focus reaches a tab that holds a map.

The browser then finds the modules already loaded when Streamlit imports them: the same URLs,
resolved against Streamlit's own main module. Without those files (another Streamlit build)
nothing is fetched early and maps load as before.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

MAP_TABS = ("Kaart", "Verandering")  # the theme page's tabs that hold a map
# Streamlit 1.67's chunks: the map element, and the WebGL device deck.gl imports when it starts.
CHUNKS = ("DeckGlJsonChart.*.js", "webgl-device.*.js")


@functools.cache
def chunk_names() -> tuple[str, ...]:
    """The file names of the map's chunks in Streamlit's static folder (none when not found)."""
    import streamlit

    folder = Path(streamlit.__file__).parent / "static" / "static" / "js"
    found = [sorted(folder.glob(pattern)) for pattern in CHUNKS]
    if not all(len(matches) == 1 for matches in found):
        return ()
    return tuple(matches[0].name for matches in found)


_SCRIPT = """<script>
(function () {
  const names = %(names)s;
  const load = () => {
    if (window.__vtMapCode) return;
    const main = document.querySelector('script[type="module"][src*="/static/js/index."]');
    if (!main) return;
    window.__vtMapCode = true;
    for (const name of names) import(new URL(name, main.src).href).catch(() => {});
  };
  if (%(at_once)s) {
    (window.requestIdleCallback || ((f) => setTimeout(f, 200)))(load, {timeout: 3000});
  }
  if (window.__vtMapCodeWatch) return;
  window.__vtMapCodeWatch = true;
  const tabs = %(tabs)s;
  const near = (event) => {
    const tab = event.target && event.target.closest && event.target.closest('[role="tab"]');
    if (tab && tabs.includes(tab.innerText.trim())) load();
  };
  document.addEventListener("pointerover", near, true);
  document.addEventListener("focusin", near, true);
})();
</script>"""


def preload_script(*, at_once: bool = False) -> str:
    """The script that loads the map's code when a map tab is near, or (`at_once`) when the browser is idle."""
    names = chunk_names()
    if not names:
        return ""
    return _SCRIPT % {"names": json.dumps(list(names)), "at_once": "true" if at_once else "false", "tabs": json.dumps(list(MAP_TABS))}
