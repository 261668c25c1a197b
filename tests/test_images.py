"""Chart and map images: real vl-convert renders, decoded by Pillow, with the source line in the image."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from PIL import Image

from vtdata.outputs import images
from vtdata.ui import charts
from vtdata.ui.maps import build_choropleth


def _cells() -> pd.DataFrame:
    titles = ["Acute onveiligheid", "Structurele onveiligheid", "Geen onveiligheid"]
    values = [120.0, float("nan"), 480.0]
    return pd.DataFrame(
        {
            "region": "GM0363", "region_title": "Amsterdam", "period": "2023HJ01", "period_label": "1e halfjaar 2023",
            "period_status": "Definitief", "provisional": False, "category": ["A", "B", "C"], "category_title": titles,
            "value": values, "suppressed": [False, True, False], "value_label": ["120", "geheim", "480"],
            "share": [0.2, float("nan"), 0.8], "share_label": ["20,0%", "geheim", "80,0%"], "unit": "aantal", "decimals": 0,
        }
    )


@pytest.fixture(scope="module")
def spec() -> dict:
    return charts.distribution_chart(_cells(), measure=charts.MEASURE_COUNT, description="test", unit_title="Aantal", with_share=True).to_dict()


def _svg_text(svg: bytes) -> str:
    """All text of the SVG's <text> elements, unescaped."""
    import html

    return " ".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode("utf-8")))


def test_png_opens_and_is_sharp(spec):
    png = images.chart_image(spec, title="Verdeling in Amsterdam", region="Amsterdam", period="1e halfjaar 2023", fmt="png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    picture = Image.open(io.BytesIO(png))
    picture.load()  # decodes every pixel: a truncated file fails here
    assert picture.format == "PNG"
    assert picture.width >= images.MIN_WIDTH * images.PNG_SCALE
    # not blank: the bars and the text put many colours on the white canvas
    assert len(picture.convert("RGB").getcolors(maxcolors=1_000_000)) > 10


def test_svg_carries_title_region_period_source_and_licence(spec):
    svg = images.chart_image(spec, title="Verdeling in Amsterdam", region="Amsterdam", period="1e halfjaar 2023", fmt="svg")
    text = _svg_text(svg)
    assert "Verdeling in Amsterdam" in text
    assert "Amsterdam · 1e halfjaar 2023" in text
    assert "Bron: CBS StatLine, bewerking vtdata" in text
    assert "CC BY 4.0" in text
    assert "Demonstratiegegevens" not in text
    # the chart itself is inside: its category labels
    assert "Acute onveiligheid" in text
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and float(root.get("width")) >= images.MIN_WIDTH


def test_demo_images_say_the_figures_are_made_up(spec):
    text = _svg_text(images.chart_image(spec, title="T", region="R", period="P", fmt="svg", demo=True))
    assert "Demonstratiegegevens, geen CBS-cijfers" in text
    assert "Bron: CBS StatLine" not in text


def test_unknown_format_is_a_dutch_error(spec):
    with pytest.raises(images.ImageError, match="Onbekend beeldformaat"):
        images.chart_image(spec, title="T", region="R", period="P", fmt="gif")


def _shapes_and_values():
    def square(x):
        return f'{{"type":"Polygon","coordinates":[[[{x},52],[{x + 0.4},52],[{x + 0.4},52.5],[{x},52.5],[{x},52]]]}}'

    shapes = pd.DataFrame({"code": ["GM1", "GM2", "GM3", "GM4", "GM5"], "name": list("ABCDE"), "geometry": [square(4 + i * 0.5) for i in range(5)]})
    values = pd.DataFrame({"code": ["GM1", "GM2", "GM3", "GM4"], "value": [10.0, 20.0, float("nan"), 40.0], "suppressed": [False, False, True, False]})
    return shapes, values


def test_map_image_uses_the_interactive_maps_classes_and_legend():
    shapes, values = _shapes_and_values()
    interactive = build_choropleth(shapes, values, unit="aantal", value_label="Meldingen")
    spec = images.map_spec(shapes, values, unit="aantal", value_label="Meldingen")
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert list(zip(scale["range"], scale["domain"])) == interactive.legend
    klasse = {f["properties"]["code"]: f["properties"]["klasse"] for f in spec["layer"][0]["data"]["values"]}
    assert klasse["GM3"] == "geheim"  # suppressed: never the lowest class
    assert klasse["GM5"] == "geen gegevens"
    colour_of = dict((label, colour) for colour, label in interactive.legend)
    deck_fill = {f["properties"]["code"]: f["properties"]["fill"] for f in interactive.deck.layers[0].data["features"]}
    from vtdata.outputs.classes import hex_to_rgb

    for code, label in klasse.items():
        assert hex_to_rgb(colour_of[label]) == deck_fill[code], code


def test_change_map_and_absent_regions_match_the_interactive_map():
    shapes, values = _shapes_and_values()
    values = values.assign(value=[-30.0, 5.0, float("nan"), 40.0], absent=[False, False, False, True])
    interactive = build_choropleth(shapes, values, unit="aantal", value_label="Verandering", diverging=True)
    spec = images.map_spec(shapes, values, unit="aantal", value_label="Verandering", diverging=True)
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert list(zip(scale["range"], scale["domain"])) == interactive.legend
    klasse = {f["properties"]["code"]: f["properties"]["klasse"] for f in spec["layer"][0]["data"]["values"]}
    assert klasse["GM4"] == "bestond niet"


def test_map_png_opens_and_credits_the_boundaries():
    shapes, values = _shapes_and_values()
    png = images.map_image(shapes, values, title="Meldingen", region="Nederland", period="2023", value_label="Meldingen", selected="GM2")
    picture = Image.open(io.BytesIO(png))
    picture.load()
    assert picture.format == "PNG" and picture.height > 300
    svg = images.map_image(shapes, values, title="Meldingen", region="Nederland", period="2023", value_label="Meldingen", fmt="svg")
    text = _svg_text(svg)
    assert "Bron: CBS StatLine, bewerking vtdata; kaartgrenzen: CBS, Kadaster" in text
    assert "geheim" in text and "geen gegevens" in text  # the legend


def test_map_of_the_bundled_gemeente_boundaries(demo_db):
    from vtdata.storage.queries import open_database

    db = open_database(demo_db)
    shapes = db.shapes("GM", 2023)
    values = pd.DataFrame({"code": shapes["code"], "value": range(len(shapes)), "suppressed": False})
    png = images.map_image(shapes, values, title="Kaart", region="Nederland", period="2023", demo=True)
    picture = Image.open(io.BytesIO(png))
    picture.load()
    assert picture.width > 600


def test_image_filename_is_safe():
    assert images.image_filename("Verdeling in 's-Hertogenbosch, 1e halfjaar 2023*", "png") == (
        "veilig-thuis_verdeling-in-s-hertogenbosch-1e-halfjaar-2023.png"
    )


def test_images_use_the_apps_chart_colours():
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())
    assert list(images.CATEGORY_COLORS) == config["theme"]["chartCategoricalColors"]
    trend = charts.trend_chart(_cells().assign(period="2023HJ01"), measure=charts.MEASURE_COUNT, description="t").to_dict()
    svg = images.chart_image(trend, title="t", region="r", period="p", fmt="svg").decode("utf-8").lower()
    assert images.CATEGORY_COLORS[0] in svg and images.CATEGORY_COLORS[2] in svg  # the first and third category
    assert "#4c78a8" not in svg  # Vega's own first category colour
