"""URLs as they may be shown or stored: never with user info (user:password@).

`VTDATA_STATLINE_URL` may carry credentials for a proxy or mirror; they are
needed for the download but must not reach a page, a status line, an error
line or the database's `meta`.
"""

from __future__ import annotations

import re

# scheme://userinfo@ -> scheme:// ; userinfo runs up to the last '@' before the host's path.
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)[^/\s?#]*@")


def without_credentials(text: str) -> str:
    """`text` (a URL, or a message holding URLs) with every URL's user info removed."""
    return _USERINFO.sub(r"\g<scheme>", text) if isinstance(text, str) else text
