"""Which requests the server redirects from a nested path (vtdata.ui.nested_paths), and where to."""

from __future__ import annotations

from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from vtdata.ui.nested_paths import PARAM, redirect_location

BROWSER = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8", "sec-fetch-mode": "navigate"}


def test_a_nested_page_path_goes_to_its_first_segment_with_the_path_asked():
    location = redirect_location("/kerncijfers/extra", "region=GM0363&period=2023HJ01", BROWSER)
    target = urlsplit(urljoin("http://app/kerncijfers/extra", location))
    assert target.path == "/kerncijfers"
    assert parse_qs(target.query) == {"region": ["GM0363"], "period": ["2023HJ01"], PARAM: ["/kerncijfers/extra"]}


def test_a_deeper_path_and_a_base_url_path_land_on_the_first_segment_under_the_base():
    deep = redirect_location("/a/b/c", "", BROWSER)
    assert urlsplit(urljoin("http://app/a/b/c", deep)).path == "/a"
    based = redirect_location("/vt/kerncijfers/extra", "", BROWSER, base="/vt")
    assert urlsplit(urljoin("http://app/vt/kerncijfers/extra", based)).path == "/vt/kerncijfers"


@pytest.mark.parametrize(
    "path, headers",
    [
        ("/kerncijfers", BROWSER),  # one segment: the app's own not-found page answers
        ("/", BROWSER),
        ("/kerncijfers/extra", {"accept": "*/*", "sec-fetch-mode": "cors"}),  # a fetch, not a page
        ("/kerncijfers/_stcore/health", BROWSER),  # the frontend's probe for its base URL
        ("/static/js/index.js", BROWSER),
        ("/_stcore/stream/x", BROWSER),
        ("/media/abc.png", BROWSER),
        ("/app/static/x.png", BROWSER),
        ("/kerncijfers/extra/", BROWSER),  # Streamlit's own redirect drops the slash first
    ],
)
def test_streamlit_s_own_requests_and_single_segments_are_left_alone(path, headers):
    assert redirect_location(path, "", headers) is None
