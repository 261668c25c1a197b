"""Fetch the code of Streamlit's map and chart elements in the browser before it is asked for.

Streamlit loads an element's JavaScript only when the first such element arrives: its map
component (3 MB, with deck.gl's WebGL device) and its Vega-Lite chart (about 0.8 MB). So the
first Kaart tab, or the first chart or map of a presentation, waits for that on top of the
server's answer (about 0.2-0.6 s of a 2-core machine). A first visit that shows no map does
not load the map's code (tests/e2e/test_offline.py). The page loads it when it is near:

- in presentation mode, as soon as the browser is idle: the first step shows only the
  headline, and the next two are a map and a chart;
- elsewhere, when the pointer or the keyboard focus reaches a tab that holds a map (the
  page opens on charts, so their code is loaded already).

The browser then finds the modules already loaded when Streamlit imports them: the same URLs,
resolved against Streamlit's own main module. Without those files (another Streamlit build)
nothing is fetched early and the elements load as before.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

MAP_TABS = ("Kaart", "Verandering")  # the theme page's tabs that hold a map
# Streamlit 1.67's chunks. The map: its element, and the WebGL device deck.gl imports when it
# starts. The chart: its element, Vega-Lite with vega-embed, and the expression interpreter.
MAP_CHUNKS = ("DeckGlJsonChart.*.js", "webgl-device.*.js")
CHART_CHUNKS = ("ArrowVegaLiteChart.*.js", "embed.*.js", "vega-interpreter.*.js")


@functools.cache
def chunk_names(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """The file names of `patterns` in Streamlit's static folder (none unless each matches one file)."""
    import streamlit

    folder = Path(streamlit.__file__).parent / "static" / "static" / "js"
    found = [sorted(folder.glob(pattern)) for pattern in patterns]
    if not all(len(matches) == 1 for matches in found):
        return ()
    return tuple(matches[0].name for matches in found)


_SCRIPT = """<script>
(function () {
  const main = document.querySelector('script[type="module"][src*="/static/js/index."]');
  if (!main) return;
  const load = (names) => {
    for (const name of names) {
      const key = "__vtCode_" + name;
      if (window[key]) continue;
      window[key] = true;
      import(new URL(name, main.src).href).catch(() => {});
    }
  };
  const idle = %(idle)s;
  if (idle.length) {
    (window.requestIdleCallback || ((f) => setTimeout(f, 200)))(() => load(idle), {timeout: 3000});
  }
  if (window.__vtMapCodeWatch) return;
  window.__vtMapCodeWatch = true;
  const tabs = %(tabs)s, names = %(map)s;
  const near = (event) => {
    const tab = event.target && event.target.closest && event.target.closest('[role="tab"]');
    if (tab && tabs.includes(tab.innerText.trim())) load(names);
  };
  document.addEventListener("pointerover", near, true);
  document.addEventListener("focusin", near, true);
})();
</script>"""


def preload_script(*, presenting: bool = False) -> str:
    """The script that loads the map's code when a map tab is near, and (`presenting`) the map's
    and the chart's code as soon as the browser is idle."""
    map_names = chunk_names(MAP_CHUNKS)
    idle = map_names + chunk_names(CHART_CHUNKS) if presenting else ()
    if not map_names and not idle:
        return ""
    return _SCRIPT % {"idle": json.dumps(list(idle)), "map": json.dumps(list(map_names)), "tabs": json.dumps(list(MAP_TABS))}
