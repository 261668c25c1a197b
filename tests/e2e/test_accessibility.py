"""WCAG 2.1 AA (axe-core, serious and critical violations) on presentation steps and on the
tabs a page does not open on (the map's own tab, the ranking with its funnel).

Every page of the contract is checked too, by `test_pages.test_page_opens` on the page it
opens for a gemeente (one page load for both checks).
"""

from __future__ import annotations

import pytest

from tests.e2e.axe import assert_accessible
from tests.e2e.helpers import GEMEENTE, PERIOD, assert_no_exception, open_page

pytestmark = pytest.mark.e2e

# Presentation steps (map, ranking, headline) on a projector; two tabs on a desktop.
VIEWS = [
    ("/veiligheid", {"presentatie": "1", "stap": "2"}),
    ("/veiligheid", {"presentatie": "1", "stap": "3"}),
    ("/kerncijfers", {"presentatie": "1", "stap": "4"}),
    ("/veiligheid", {"weergave": "Kaart"}),
    ("/overdrachten", {"weergave": "Ranglijst"}),
]


def _id(view) -> str:
    path, params = view
    return path + "?" + "&".join(f"{k}={v}" for k, v in params.items())


@pytest.mark.parametrize("view", VIEWS, ids=[_id(v) for v in VIEWS])
def test_no_serious_axe_violation(page, app_url, view):
    path, params = view
    open_page(page, app_url, path, region=GEMEENTE, period=PERIOD, **params)
    assert_no_exception(page)
    assert_accessible(page, _id(view))
