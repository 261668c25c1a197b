"""Shared constants and helpers of the end-to-end tests (the fixtures live in conftest.py)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("VTDATA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # WebGL (deck.gl) on the software rasteriser, since the GPU is disabled.
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
]
# The tests' chromium: everything but this machine goes to a proxy on a closed local port, so fails
# at once (and is still seen by a context's "request" listener). Not a context.route: Playwright
# turns a routed context's HTTP cache off, and every page load then fetched and compiled the app's
# script bundles anew (about 1 s of each load).
OFFLINE_ARGS = ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1"]
RENDER_TIMEOUT_MS = 90_000
MAP = '[data-testid="stDeckGlJsonChart"]'  # a pydeck map (its canvas, once deck.gl runs)

# The contract: URL path -> what the page's title starts with (lower case match).
PAGES = {
    "/": "handelingsprotocol",
    "/kerncijfers": "kerncijfers",
    "/eerdere-betrokkenheid": "eerdere betrokkenheid",
    "/rol-en-organisatie": "rol/functie en organisatie",
    "/duur-geweld": "duur van het geweld",
    "/aard-geweld": "aard van het geweld",
    "/veiligheid": "veiligheidsbeoordeling en -taxatie",
    "/uitkomsten-onderzoek": "uitkomsten onderzoeken",
    "/overdrachten": "overdrachten",
    "/colofon": "colofon",
    "/regioprofiel": "regioprofiel",
}

GEMEENTE = "GM0363"  # Amsterdam
PERIOD = "2023HJ01"
NEDERLAND = "NL01"
VT_REGION = "VT01"  # Amsterdam-Amstelland





def streamlit_server(db, port: int, log, cwd: Path | None = None, env: dict | None = None) -> subprocess.Popen:
    """`streamlit run streamlit_app.py` on 127.0.0.1:`port` serving `db`, output to `log`.

    StatLine is a closed local port, so a refresh from the app never reaches out.
    `cwd` (default the project) is where the server starts, as a service manager may choose.
    """
    env = dict(
        os.environ,
        VTDATA_DB=str(db),
        VTDATA_STATLINE_URL="http://127.0.0.1:9",
        PYTHONUNBUFFERED="1",
        STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        **(env or {}),
    )
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
    ]
    return subprocess.Popen(command, cwd=cwd or ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def url_for(base: str, path: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{base.rstrip('/')}{path}" + (f"?{query}" if query else "")


# What a drawn page may still be fetching: its fonts and images.
_LOADED = "() => document.fonts.status === 'loaded' && [...document.images].every(i => i.complete)"


def wait_rendered(page, *, timeout: float = RENDER_TIMEOUT_MS) -> None:
    """Until the script run is over and the page has settled.

    Not Playwright's "networkidle" (500 ms without a request, 0.3-0.5 s of every page load):
    the fonts and images are awaited; `assert_offline` waits for network idle itself.
    """
    wait_run_finished(page, timeout=timeout)
    page.wait_for_function(_LOADED, timeout=timeout)
    # Elements of the previous run fade out as stale until the frontend drops them.
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=timeout)
    wait_layout_settled(page, timeout=timeout)


# Sizes of what re-lays itself out after the DOM changed: charts (canvas/SVG), maps and the main area.
_LAYOUT_STABLE = """(frames) => {
    const now = [...document.querySelectorAll('canvas, svg.marks, [data-testid="stMain"]')].map(e => {
        const r = e.getBoundingClientRect();
        return `${r.width}x${r.height}:${e.width || ''}x${e.height || ''}`;
    }).join(',') + `|${document.documentElement.scrollHeight}`;
    const s = window.__vtLayout || (window.__vtLayout = {last: null, stable: 0});
    s.stable = now === s.last ? s.stable + 1 : 0;
    s.last = now;
    return s.stable >= frames;
}"""


def wait_layout_settled(page, *, frames: int = 5, timeout: float = RENDER_TIMEOUT_MS) -> None:
    """Until the layout has not changed for `frames` animation frames in a row (charts re-laid out)."""
    page.evaluate("() => { window.__vtLayout = null; }")
    page.wait_for_function(_LAYOUT_STABLE, arg=frames, timeout=timeout, polling="raf")


# True once the script run is over and every element has drawn (see wait_run_finished).
RUN_FINISHED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) return false;
    const state = app.getAttribute('data-test-script-state');
    const conn = app.getAttribute('data-test-connection-state');
    const running = document.querySelector('[data-testid="stStatusWidgetRunningIcon"], [data-testid="stStatusWidgetRunningManIcon"]');
    if (!(state === 'notRunning' && (!conn || conn === 'CONNECTED') && !running)) return false;
    // Lazily loaded elements (charts, maps, st.html) show a skeleton until their code is in.
    return !document.querySelector('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]');
}"""


def wait_run_finished(page, *, timeout: float = RENDER_TIMEOUT_MS, polling: float | str = 100) -> None:
    """Until the script run is over and every element has drawn (no settling time: benchmarks time this).

    `stApp` carries `data-test-script-state` (initial, running, notRunning, ...);
    a run has finished when it reads notRunning while connected, and the status
    widget (running man) is gone.
    """
    page.wait_for_selector('[data-testid="stApp"]', state="attached", timeout=timeout)
    page.wait_for_function(
        RUN_FINISHED,
        timeout=timeout,
        polling=polling,
    )


def open_page(page, base: str, path: str, **params) -> None:
    page.goto(url_for(base, path, **params), wait_until="domcontentloaded")
    wait_rendered(page)


def screenshots_wanted() -> bool:
    """`VTDATA_SCREENSHOTS=1` asks the browser tests for their screenshots (else only failed tests leave one)."""
    return os.environ.get("VTDATA_SCREENSHOTS", "") not in ("", "0")


def screenshot(page, name: str) -> Path | None:
    """A full-page screenshot in artifacts/screenshots/, when `VTDATA_SCREENSHOTS=1` asks for it.

    Nothing reads them in a normal run (the docs' screenshots come from tools/screenshots.py),
    and each took 0.2-0.4 s of re-layout at a tall viewport; a failed browser test always
    leaves one of its page (tests/e2e/conftest.py).
    """
    return full_page_screenshot(page, name) if screenshots_wanted() else None


def full_page_screenshot(page, name: str) -> Path:
    """A full-page screenshot in artifacts/screenshots/.

    Streamlit scrolls its main area inside a container, so Playwright's
    full_page sees only the viewport: the viewport is made as tall as the
    content for the shot, then restored.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    viewport = page.viewport_size
    height = page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
            ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stSidebarContent"]')]
                .map(e => e.scrollHeight))"""
    )
    tall = min(max(int(height) + 40, viewport["height"]), 12_000)
    try:
        if tall > viewport["height"]:
            page.set_viewport_size({"width": viewport["width"], "height": tall})
            wait_layout_settled(page)  # charts and maps re-layout to the new size
        page.screenshot(path=str(target), full_page=True)
    finally:
        page.set_viewport_size(viewport)
    return target


# --------------------------------------------------------------------------- above the fold

# Issue 19: on a projector a theme page shows its headline table and tab bar without scrolling.
FOLD_VIEWPORT = {"width": 1280, "height": 720}

_BOX = """(s) => { const e = document.querySelector(s); if (!e) return null;
    const r = e.getBoundingClientRect(); return [r.top, r.bottom]; }"""


def _inside_the_fold(page, selector: str) -> None:
    box = page.evaluate(_BOX, selector)
    assert box is not None, f"{selector} missing on {page.url}"
    top, bottom = box
    height = FOLD_VIEWPORT["height"]
    assert 0 <= top and bottom <= height, f"{selector} at y {top:.0f}-{bottom:.0f}, outside 0-{height} on {page.url}"


def assert_above_the_fold(page) -> None:
    """The headline table and the tab bar in view at FOLD_VIEWPORT, with room under the tabs for the view."""
    _inside_the_fold(page, ".vt-head")
    tabs = '[data-testid="stTabs"] [role="tablist"]'
    _inside_the_fold(page, tabs)
    # the start of the chosen view: its first line below the tab bar
    tabs_bottom = page.evaluate(_BOX, tabs)[1]
    assert tabs_bottom + 60 <= FOLD_VIEWPORT["height"], f"no room for the view under the tabs ({tabs_bottom:.0f}) on {page.url}"


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def exception_texts(page) -> list[str]:
    return [e.inner_text()[:2000] for e in page.locator('[data-testid="stException"]').all()]


def assert_no_exception(page) -> None:
    errors = exception_texts(page)
    assert not errors, f"exception box on {page.url}:\n" + "\n---\n".join(errors)


# --------------------------------------------------------------------------- offline

LOCAL = ("data:", "blob:")

# Material icons are ligatures of Streamlit's bundled font: a known icon is one
# glyph about 1 em wide; an icon the font lacks shows its name as text.
_ICON_WIDTHS = """() => [...document.querySelectorAll('[data-testid="stIconMaterial"]')].map(e => {
    const r = e.getBoundingClientRect();
    return {name: e.textContent, width: r.width, em: parseFloat(getComputedStyle(e).fontSize)};
}).filter(i => i.width > 0)"""


def outside_requests(requests: list[str], base: str) -> list[str]:
    """The requested URLs that would have left the app at `base` (the tests' browser fails them)."""
    origin = base.rstrip("/")
    return [url for url in requests if not url.startswith(origin) and not url.startswith(LOCAL)]


def icon_widths(page) -> dict[str, float]:
    """Width in em of each material icon drawn on the page (the widest, per icon name)."""
    drawn: dict[str, float] = {}
    for icon in page.evaluate(_ICON_WIDTHS):
        drawn[icon["name"]] = max(drawn.get(icon["name"], 0), icon["width"] / icon["em"])
    return drawn


def icons_as_text(drawn: dict[str, float]) -> dict[str, float]:
    """Icons wider than a glyph: not in Streamlit's bundled font, so drawn as their name."""
    return {name: round(width, 1) for name, width in drawn.items() if width > 1.6}


def assert_offline(page, base: str) -> None:
    """No request of the test's page left the app, the tab icon is local, every icon is a glyph."""
    # every request the page makes is seen: it has been 500 ms without one (at once if it already was)
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=5_000)
    assert page.requests, "no requests recorded"
    outside = outside_requests(page.requests, base)
    assert not outside, outside
    favicon = page.evaluate("document.querySelector(\"link[rel='shortcut icon']\")?.href || ''")
    assert favicon.startswith(base.rstrip("/")) or favicon.startswith(LOCAL), favicon
    as_text = icons_as_text(icon_widths(page))
    assert not as_text, f"icons not in Streamlit's bundled font (drawn as text): {as_text}"

