"""axe-core (bundled by axe-playwright-python, so no network) on a rendered page.

Only the WCAG 2.0/2.1 A and AA rules run, and only serious or critical
violations count: the Dutch public-sector standard (WCAG 2.1 AA) is the bar.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

# Violations we cannot fix from the app, as (rule id, CSS selector axe reports) with why.
# Keep this empty unless Streamlit's own markup leaves no way around it.
ALLOWED: dict[tuple[str, str], str] = {}


def serious_violations(page) -> list[dict]:
    """The serious and critical WCAG A/AA violations on `page`, minus the allowed ones."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options).response
    found = []
    for violation in results["violations"]:
        if violation.get("impact") not in BLOCKING:
            continue
        nodes = [n for n in violation["nodes"] if (violation["id"], ", ".join(n["target"])) not in ALLOWED]
        if nodes:
            found.append({**violation, "nodes": nodes})
    return found


def describe(violations: list[dict], limit: int = 4) -> str:
    """One line per violation and a few of its elements, for a failing test's message."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}")
        for node in v["nodes"][:limit]:
            lines.append(f"    {', '.join(node['target'])}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:240]}")
    return "\n".join(lines)


def assert_accessible(page, label: str) -> None:
    """No serious or critical WCAG A/AA violation on `page` once its charts have drawn."""
    # Charts draw their SVG after the run; axe must see them drawn.
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                   .every(c => c.querySelector('svg, canvas'))"""
    )
    violations = serious_violations(page)
    assert not violations, f"axe on {label}:\n{describe(violations)}"
