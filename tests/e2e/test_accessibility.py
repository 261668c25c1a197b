"""WCAG 2.1 AA (axe-core, serious and critical violations) on every page and on presentation steps."""

from __future__ import annotations

import pytest

from tests.e2e.axe import describe, serious_violations
from tests.e2e.helpers import GEMEENTE, PAGES, PERIOD, assert_no_exception, open_page

pytestmark = pytest.mark.e2e

# Every page of the contract, and presentation steps (map, ranking) on a projector.
VIEWS = [(path, {}) for path in PAGES] + [
    ("/veiligheid", {"presentatie": "1", "stap": "2"}),
    ("/veiligheid", {"presentatie": "1", "stap": "3"}),
    ("/kerncijfers", {"presentatie": "1", "stap": "4"}),
]


def _id(view) -> str:
    path, params = view
    return path + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.mark.parametrize("view", VIEWS, ids=[_id(v) for v in VIEWS])
def test_no_serious_axe_violation(page, app_url, view):
    path, params = view
    open_page(page, app_url, path, region=GEMEENTE, period=PERIOD, **params)
    assert_no_exception(page)
    # Charts draw their SVG after the run; axe must see them drawn.
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                   .every(c => c.querySelector('svg, canvas'))"""
    )
    violations = serious_violations(page)
    assert not violations, f"axe on {_id(view)}:\n{describe(violations)}"
