"""A nested unknown path (`/kerncijfers/extra`) is redirected to its first segment, with a Dutch notice.

Streamlit 1.67 answers every path it does not know with its index.html
(streamlit/web/server/starlette/starlette_static_routes.py, the SPA fallback in
`get_response`). That page loads its scripts by relative URLs (`./static/js/...`), which
under `/kerncijfers/extra` resolve to `/kerncijfers/static/js/...`: those are answered with
the same HTML, the scripts never run and the page stays blank. No page script runs
before that first request, so it is handled in the server: `streamlit_app.py` is an
`st.App` with this ASGI middleware, which sends a browser asking for such a page to
`/kerncijfers?...&niet_gevonden=/kerncijfers/extra`. There the app shows the page (or
its Dutch not-found page, for an unknown first segment) and a notice
(`vtdata.ui.not_found`).
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, quote, urlencode

# The query parameter that carries the path that was asked for.
PARAM = "niet_gevonden"

# First segments Streamlit serves itself (its API, media, components, app static files,
# login), plus every entry of its static folder (`static/`, `favicon.png`, ...).
_STREAMLIT_SEGMENTS = frozenset({"_stcore", "media", "component", "app", "auth", "oauth2callback"})


def _static_entries() -> frozenset[str]:
    try:
        from streamlit import file_util

        return frozenset(os.listdir(file_util.get_static_dir()))
    except Exception:  # noqa: BLE001 -- no static folder: only the named segments are Streamlit's
        return frozenset()


def _base_path() -> str:
    """Streamlit's `server.baseUrlPath` as '/base' ('' at the root)."""
    try:
        from streamlit import config

        base = (config.get_option("server.baseUrlPath") or "").strip("/")
    except Exception:  # noqa: BLE001 -- outside a configured Streamlit: the root
        base = ""
    return f"/{base}" if base else ""


def redirect_location(path: str, query: str, headers: dict[str, str], base: str = "") -> str | None:
    """Where a browser asking for `path` is sent instead, or None to let Streamlit answer.

    Only a page the browser navigates to is redirected (never a fetch of Streamlit's own
    files or API, which it probes under the page's path to find its base URL). The
    location is relative, so it holds behind a proxy that strips a path prefix.
    """
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):]
    segments = [s for s in path.split("/") if s]
    if len(segments) < 2 or not path.startswith("/") or path.endswith("/"):
        return None
    if headers.get("sec-fetch-mode", "navigate") != "navigate" or "text/html" not in headers.get("accept", ""):
        return None
    if segments[0] in _STREAMLIT_SEGMENTS or segments[0] in _static_entries() or "_stcore" in segments:
        return None
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != PARAM]
    pairs.append((PARAM, "/" + "/".join(segments)))
    return "../" * (len(segments) - 1) + quote(segments[0], safe="") + "?" + urlencode(pairs)


class NestedPathRedirect:
    """ASGI middleware: a 302 to `redirect_location` for a nested page path, else Streamlit's answer."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope.get("type") == "http" and scope.get("method") in ("GET", "HEAD"):
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            location = redirect_location(
                scope.get("path", ""), scope.get("query_string", b"").decode("latin-1"), headers, _base_path()
            )
            if location is not None:
                from starlette.responses import RedirectResponse

                await RedirectResponse(location, status_code=302, headers={"Cache-Control": "no-cache"})(
                    scope, receive, send
                )
                return
        await self.app(scope, receive, send)


def middleware() -> list:
    """The middleware list for `st.App`."""
    from starlette.middleware import Middleware

    return [Middleware(NestedPathRedirect)]
