"""A size cap per StatLine response, so a runaway answer cannot exhaust memory.

cbsodata reads every response whole (`json.loads(r.text)`), so a 300 MB answer
once cost a refresh 1.4 GB. `CappedSession` replaces the Session cbsodata makes
for each request: it reads the body in chunks, decompressed (a gzip bomb counts
at its full size), and stops at the cap with `ResponseTooLarge`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import requests

from vtdata import settings

# A StatLine page of 10,000 rows is 1-5 MB of JSON; the largest metadata set far less.
MAX_RESPONSE_MB = 50.0
MAX_RESPONSE_ENV = "VTDATA_MAX_RESPONSE_MB"
_CHUNK = 256 * 1024


class ResponseTooLarge(Exception):
    """A response beyond the cap; `limit_mb` is the cap that was applied."""

    def __init__(self, limit_mb: float):
        super().__init__(f"antwoord groter dan {limit_mb:g} MB")
        self.limit_mb = limit_mb


class BadCapSetting(Exception):
    """VTDATA_MAX_RESPONSE_MB holds no positive number (a one-line Dutch message)."""


def max_response_mb() -> float:
    """The cap in MB: $VTDATA_MAX_RESPONSE_MB when set, else `MAX_RESPONSE_MB`."""
    try:
        value = settings.positive_number(MAX_RESPONSE_ENV)
    except ValueError as bad:
        raise BadCapSetting(f"{MAX_RESPONSE_ENV} moet een positief aantal MB zijn, niet {bad.args[0][:40]!r}.") from None
    return MAX_RESPONSE_MB if value is None else value


def read_capped(response: requests.Response, limit_mb: float) -> bytes:
    """The whole (decoded) body of a streamed response, or ResponseTooLarge past `limit_mb`."""
    limit = int(limit_mb * 1_000_000)
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:  # (compressed, it would unpack larger still)
        response.close()
        raise ResponseTooLarge(limit_mb)
    body = bytearray()
    for chunk in response.iter_content(_CHUNK):
        body += chunk
        if len(body) > limit:
            response.close()
            raise ResponseTooLarge(limit_mb)
    return bytes(body)


class CappedSession(requests.Session):
    """A Session whose responses are read with `read_capped` before anyone sees them.

    It also keeps the credentials of the configured StatLine address on every page:
    cbsodata follows `odata.nextLink`, which the server sends without user info, so
    a mirror that needs them refused every page after the first.
    """

    credentials: dict[str, tuple[str, str]] = {}  # "host:port" -> (user, password), set by vtdata.source.statline

    def send(self, request, **kwargs):
        where = urlsplit(request.url)
        known = CappedSession.credentials.get(f"{where.hostname}:{where.port or ''}")
        if known and "Authorization" not in request.headers:
            request.prepare_auth(known)
        limit_mb = max_response_mb()
        kwargs["stream"] = True
        response = super().send(request, **kwargs)
        response._content = read_capped(response, limit_mb)  # what .text and .json() read
        response._content_consumed = True
        return response
