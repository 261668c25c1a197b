"""URLs as they may be shown or stored: never with user info (user:password@).

`VTDATA_STATLINE_URL` may carry credentials for a proxy or mirror; they are
needed for the download but must not reach a page, a status line, an error
line or the database's `meta`.

A password may hold any character (a space, '/', '#', '?', '@', '%'), so a URL
is not split with urllib, which ends the user info at the first '/', '?' or '#':
the user info runs up to the LAST '@' that is followed by a host.
"""

from __future__ import annotations

import os
import re
from urllib.parse import quote, unquote

ENV_URL = "VTDATA_STATLINE_URL"

_SCHEME = re.compile(r"\s*[A-Za-z][A-Za-z0-9+.-]*://")
# A host name, IPv4 or [IPv6] address with an optional port, ending the authority.
_HOST = re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~-]+)(?::\d*)?(?=$|[/?#])")
# In a message: scheme://userinfo@ where the user info is already percent-encoded (as
# `with_encoded_userinfo` makes it) or at least holds no separator.
_PLAIN_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)[^/\s?#@]*(?:@[^/\s?#@]*)*@")


def split_userinfo(url: str) -> tuple[str, str | None, str]:
    """(scheme://, user info or None, host and the rest) of one URL; ('', None, url) without a scheme."""
    scheme = _SCHEME.match(url)
    if not scheme:
        return "", None, url
    rest = url[scheme.end():]
    at = len(rest)
    while (at := rest.rfind("@", 0, at)) >= 0:
        if _HOST.match(rest, at + 1):
            return scheme.group().strip(), rest[:at], rest[at + 1:]
    return scheme.group().strip(), None, rest


def with_encoded_userinfo(url: str) -> str:
    """`url` with its user name and password percent-encoded, as HTTP clients expect them.

    Escapes already in the user info are read first (as requests does), so a
    password written as `p%40ss` stays `p%40ss` and `p@ss` becomes it too.
    """
    scheme, userinfo, rest = split_userinfo(url)
    if userinfo is None:
        return url
    user, colon, password = userinfo.partition(":")
    encoded = quote(unquote(user), safe="") + (colon + quote(unquote(password), safe="") if colon else "")
    return f"{scheme}{encoded}@{rest}"


def _configured_userinfos() -> list[str]:
    """The user info of $VTDATA_STATLINE_URL as written and as sent, longest first."""
    _, userinfo, _ = split_userinfo(os.environ.get(ENV_URL, "").strip())
    if not userinfo:
        return []
    _, encoded, _ = split_userinfo(with_encoded_userinfo(f"http://{userinfo}@host"))
    return sorted({userinfo, encoded, unquote(userinfo)}, key=len, reverse=True)


def without_credentials(text: str) -> str:
    """`text` (a URL, or a message holding URLs) with every URL's user info removed."""
    if not isinstance(text, str):
        return text
    scheme, userinfo, rest = split_userinfo(text)
    if scheme and "\n" not in text:  # one URL (as stored in meta): parse it
        return f"{scheme}{rest}" if userinfo is not None else text.strip()
    for userinfo in _configured_userinfos():  # a message naming the configured URL
        text = text.replace(f"{userinfo}@", "")
    return _PLAIN_USERINFO.sub(r"\g<scheme>", text)
