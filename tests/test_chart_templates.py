"""A chart made from a cached template (`vtdata.ui.chart_templates`) is the spec Altair makes.

The charts are those the theme pages really build, recorded while pages run for several
regions and periods; each chart whose shape was built before is compared, key for key, with
the spec Altair builds for its own rows."""

from __future__ import annotations

from collections import defaultdict

from streamlit.testing.v1 import AppTest

from vtdata.ui import chart_templates, charts, memo, segments

VIEWS = [  # views that share shapes: a region in two periods (its comparison), two regions (trend, distribution),
    # two gemeenten with other largest overdrachten (a trend of other categories)
    ("aard-geweld", "GM0014", "2023HJ01"), ("aard-geweld", "GM0014", "2022HJ01"),
    ("overdrachten", "GM0363", "2023HJ01"), ("overdrachten", "VT01", "2022HJ02"), ("overdrachten", "GM0014", "2023HJ01"),
    ("veiligheid", "GM0363", "2023HJ01"), ("veiligheid", "GM0014", "2023HJ01"),
    # Nederland in two periods: a distribution of its own (a region's is in its comparison)
    ("overdrachten", "NL01", "2023HJ01"), ("overdrachten", "NL01", "2022HJ01"),
]


def test_a_chart_from_a_template_equals_the_spec_altair_builds(demo_db, monkeypatch):
    calls = []
    real = chart_templates.from_template

    def recording(shape, data, description, build, names=()):
        calls.append((shape, data, description, build, names))
        return real(shape, data, description, build, names)

    monkeypatch.setattr(charts, "from_template", recording)
    segments._replayed.clear()  # as in a fresh process: every chart is built
    memo._built.cache_clear()
    for slug, region, period in VIEWS:
        at = AppTest.from_string(f"from vtdata.ui.theme import render_theme\nrender_theme({slug!r})\n", default_timeout=120)
        at.query_params["region"], at.query_params["period"] = region, period
        at.run()
        assert not at.exception, [e.message for e in at.exception]
    by_shape = defaultdict(list)
    for call in calls:
        by_shape[call[0]].append(call)
    compared = set()
    for shape, same in by_shape.items():
        chart_templates._templates.clear()
        real(*same[0])  # the template, from the first chart of this shape
        for _, data, description, build, names in same[1:]:
            expected = build(data, names).to_dict(validate=False)
            assert real(shape, data, description, build, names).to_dict() == expected, shape[:2]
            compared.add(shape[0])
    assert compared == {"distribution", "trend", "comparison"}
    # a comparison of other regions, and a trend of other categories, were made from the same template, its names filled in
    for kind in ("comparison", "trend"):
        assert any(len({call[4] for call in same}) > 1 for shape, same in by_shape.items() if shape[0] == kind), kind
