"""Altair chart builders for the theme pages.

All builders are pure: they take the "cells" frames of `vtdata.figures.view_cells`
(one row per region, period and category, with `value`, `suppressed`,
`provisional` and Dutch-formatted `value_label` / `share_label`) and return an
Altair chart. Conventions shared by every chart:

- Dutch number formats: a Vega number locale ("12.345", "4,5%") is set in the
  chart config, and tooltips show the pre-formatted Dutch strings, so the
  exact StatLine cell is shown even where the locale would not apply.
- A suppressed cell is never drawn as 0: bars and points leave it out, lines
  break there, and a grey "geheim" label or marker shows where it is; the
  tooltip says "geheim".
- Voorlopige cijfers: period labels carry "*", lines are dashed into the
  voorlopige periods, points are hollow, and the tooltip says "voorlopig".
- Every chart has a Dutch `description` (the accessible name).
"""

from __future__ import annotations

import json
import re

import altair as alt
import altair.utils.schemapi
import pandas as pd

from vtdata.format import SUPPRESSED_LABEL
from vtdata.ui.chart_templates import from_template
from vtdata.model.lifetimes import ABSENT_LABEL

# Altair checks every schema object it makes (an axis, a scale, a legend) against the Vega-Lite
# JSON schema ("debug mode"): about a tenth of a page run that builds new charts. Our builders
# make the same shapes every time; tests/test_theme_pages.py validates every chart a page sends.
altair.utils.schemapi.disable_debug_mode()

# d3-format locale for Dutch numbers (Vega `config.locale`).
NL_NUMBER_LOCALE = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["€\u00a0", ""],
    "percent": "%",
}
NL_TIME_LOCALE = {
    "dateTime": "%a %e %B %Y %X",
    "date": "%d-%m-%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
    "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
    "months": [
        "januari", "februari", "maart", "april", "mei", "juni",
        "juli", "augustus", "september", "oktober", "november", "december",
    ],
    "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
}

# Axis labels: as many decimals as the ticks themselves have ("~": trailing zeros dropped), so a
# narrow range (a small category's panel: 0,002-0,008 per 1.000) does not read "0,01 0,01 0,01".
# (Vega-Lite's tickMinStep does not keep a count axis from half steps, so counts get them too.)
NUMBER_FORMAT = ",~f"  # counts and rates: 12.345, 4,5, 0,35, 0,004
SHARE_FORMAT = "~%"  # 45%, 4,5%, 0,25%

GREY = "#8c8c8c"
HIGHLIGHT = "#8a1a4b"
BASE = "#5b8db8"
REFERENCE = "#222222"

# small multiples: three panels a row fit beside the sidebar at 1280 px
SMALL_MULTIPLE_COLUMNS = 3
SMALL_MULTIPLE_WIDTH = 190
SMALL_MULTIPLE_HEIGHT = 110

MEASURE_COUNT = "count"
MEASURE_SHARE = "share"
MEASURE_RATE = "rate"  # per 1.000 inwoners (or minderjarigen)
MEASURE_CHANGE = "change"  # difference between two periods (rankings of change)

_FIELDS = {MEASURE_SHARE: "share", MEASURE_RATE: "rate", MEASURE_CHANGE: "change"}
_LABELS = {MEASURE_SHARE: "share_label", MEASURE_RATE: "rate_label", MEASURE_CHANGE: "change_label", MEASURE_COUNT: "value_label"}

STATUS_PROVISIONAL = "voorlopig"
STATUS_FINAL = "definitief"


def value_field(measure: str) -> str:
    return _FIELDS.get(measure, "value")


def label_field(measure: str) -> str:
    return _LABELS.get(measure, "value_label")


def _value_axis(measure: str) -> alt.Axis:
    """The axis of a chart's values: Dutch numbers (or percentages) with the ticks' own decimals."""
    return alt.Axis(format=SHARE_FORMAT if measure == MEASURE_SHARE else NUMBER_FORMAT)


def _axis_title(measure: str, unit_title: str | None) -> str:
    if measure == MEASURE_SHARE:
        return "Aandeel"
    if measure == MEASURE_RATE:
        return (unit_title[:1].upper() + unit_title[1:]) if unit_title else "Per 1.000 inwoners"
    return unit_title or "Aantal"


def _prepare(cells: pd.DataFrame, measure: str = MEASURE_COUNT) -> pd.DataFrame:
    """The columns charts use; label columns as plain strings, no NaN labels."""
    df = cells.copy()
    if "share" not in df.columns:
        df["share"] = float("nan")
    for col in ("rate", "change"):
        if col not in df.columns:
            df[col] = float("nan")
    for col in ("share_label", "rate_label", "change_label"):
        if col not in df.columns:
            df[col] = ""
    df["status"] = [STATUS_PROVISIONAL if p else STATUS_FINAL for p in df["provisional"]]
    absent = df["absent"].astype(bool) if "absent" in df.columns else pd.Series(False, index=df.index)
    df["geheim"] = [
        SUPPRESSED_LABEL if s else ABSENT_LABEL if a else (
            "aandeel onbekend (totaal geheim)" if measure == MEASURE_SHARE and pd.isna(sh) and sl == "" and pd.notna(v) else ""
        )
        for s, a, sh, sl, v in zip(df["suppressed"], absent, df["share"], df["share_label"], df["value"])
    ]
    df["period_short"] = [_short_period(p, s) for p, s in zip(df["period"], df["status"])]
    for col in ("region_title", "period_label", "category_title", "value_label", "share_label", "rate_label", "change_label", "status", "geheim"):
        df[col] = df[col].fillna("").astype(str)
    # values of suppressed cells stay null in the spec, never 0
    df.loc[df["suppressed"].astype(bool), ["value", "share", "rate"]] = None
    keep = [
        "region", "region_title", "period", "period_label", "period_short", "category", "category_title",
        "value", "share", "rate", "change", "value_label", "share_label", "rate_label", "change_label",
        "status", "geheim", "suppressed", "rank_label", "selected", "group", "breakdown",
        "lower", "upper", "base", "base_label", "verdict",
    ]
    return df[[c for c in keep if c in df.columns]].reset_index(drop=True)


def _short_period(code: str, status: str) -> str:
    """Axis label: '2023 1e hj', '2023' (with '*' when voorlopig)."""
    code = str(code)
    half = {"HJ01": " 1e hj", "HJ02": " 2e hj"}.get(code[4:], "")
    return code[:4] + half + ("*" if status == STATUS_PROVISIONAL else "")


def _tooltip(measure: str, *, with_share: bool) -> list:
    tips = [
        alt.Tooltip("region_title:N", title="Regio"),
        alt.Tooltip("period_label:N", title="Periode"),
        alt.Tooltip("category_title:N", title="Categorie"),
        alt.Tooltip("value_label:N", title="Waarde (CBS)"),
    ]
    if with_share:
        tips.append(alt.Tooltip("share_label:N", title="Aandeel"))
    if measure == MEASURE_RATE:
        tips.append(alt.Tooltip("rate_label:N", title="Per 1.000"))
    if measure == MEASURE_CHANGE:
        tips.append(alt.Tooltip("change_label:N", title="Verandering"))
    tips.append(alt.Tooltip("status:N", title="Status"))
    return tips


def _secret_filter(measure: str) -> str:
    """Rows that get a grey text label instead of a bar: suppressed, or (in a share
    chart) a known count whose share cannot be computed because the total is geheim."""
    if measure == MEASURE_SHARE:
        return "datum.geheim != ''"
    return "datum.suppressed"


CELL_IDENTITY = ("region", "period", "category", "value")  # which cell a mark is, and its figure as published


def named_columns_only(spec: dict) -> dict:
    """The Vega-Lite spec with only the dataset columns it names (an encoding's field, a
    filter's datum.x, a tooltip, a sort): the builders share `_prepare`'s cell columns, of
    which a chart uses about half, and every unused one went to the browser on every view.
    A column is kept when its name occurs anywhere in the spec outside the datasets; a cell's
    codes and StatLine's own number always travel along (`CELL_IDENTITY`)."""
    datasets = spec.get("datasets")
    if not datasets:
        return spec
    text = json.dumps({k: v for k, v in spec.items() if k != "datasets"})
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)) | set(CELL_IDENTITY)

    def named(column: str) -> bool:
        return column in words or json.dumps(column) in text

    kept = {name: [{k: v for k, v in row.items() if named(k)} for row in rows] for name, rows in datasets.items()}
    return {**spec, "datasets": kept}


def finish(chart, description: str):
    """Dutch locale and accessible description on a top-level chart."""
    return chart.properties(description=description).configure(
        locale={"number": NL_NUMBER_LOCALE, "time": NL_TIME_LOCALE},
        axis={"labelLimit": 260},
    )


def distribution_chart(
    cells: pd.DataFrame,
    *,
    measure: str = MEASURE_COUNT,
    description: str,
    unit_title: str | None = None,
    with_share: bool = True,
):
    """Horizontal bars: one region and period, one bar per category.

    Shares of several breakdowns of one total (rol/functie and organisatie) are
    coloured by breakdown, with a legend: each colour adds up to 100 %.
    """
    df = _prepare(cells, measure)
    order = list(dict.fromkeys(df["category_title"]))
    several = measure == MEASURE_SHARE and "breakdown" in df.columns and df["breakdown"].dropna().nunique() > 1
    breakdowns = list(dict.fromkeys(df["breakdown"].dropna())) if several else []
    shape = ("distribution", measure, unit_title, with_share, tuple(order), tuple(breakdowns), tuple(df.columns))
    return from_template(shape, df, description, lambda data, _: _distribution(data, measure, description, unit_title, with_share, order, breakdowns))


def _distribution(df: pd.DataFrame, measure: str, description: str, unit_title: str | None, with_share: bool,
                  order: list[str], breakdowns: list[str]):
    field = value_field(measure)
    height = max(150, 30 * len(order) + 50)
    y = alt.Y("category_title:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    base = alt.Chart(df)
    colour = (
        {"color": alt.Color("breakdown:N", title="Indeling (elk samen 100%)", sort=breakdowns,
                            legend=alt.Legend(orient="bottom", direction="vertical"))}
        if breakdowns else {}
    )
    bars = (
        base.transform_filter(f"isValid(datum.{field})")
        .mark_bar(color=BASE)
        .encode(
            **colour,
            x=alt.X(f"{field}:Q", title=_axis_title(measure, unit_title), axis=_value_axis(measure)),
            y=y,
            opacity=alt.condition(f"datum.status == '{STATUS_PROVISIONAL}'", alt.value(0.65), alt.value(1.0)),
            tooltip=_tooltip(measure, with_share=with_share),
        )
    )
    secret = (
        base.transform_filter(_secret_filter(measure))
        .mark_text(align="left", dx=4, color=GREY, fontStyle="italic")
        .encode(x=alt.value(0), y=y, text="geheim:N", tooltip=_tooltip(measure, with_share=with_share))
    )
    return finish(alt.layer(bars, secret).properties(height=height), description)


def trend_chart(
    cells: pd.DataFrame,
    *,
    measure: str = MEASURE_COUNT,
    description: str,
    unit_title: str | None = None,
    with_share: bool = True,
    color_by: str = "category_title",
    small_multiples: bool = False,
):
    """Lines over half-year periods, one per category (or region).

    Lines break at suppressed cells; a grey cross at the top marks them. The
    line into voorlopige periods is dashed and their points are hollow.

    `small_multiples`: one small panel per category, each with its own y axis,
    so a small category's development is not flattened under the total's line.
    """
    df = _prepare(cells, measure)
    periods = df[["period", "period_short"]].drop_duplicates().sort_values("period")
    order = periods["period_short"].tolist()
    df["segment"] = STATUS_FINAL
    # the dashed segment runs from the last definitive period into the voorlopige ones
    prov = df[df["status"] == STATUS_PROVISIONAL]
    if not prov.empty:
        final_periods = sorted(df.loc[df["status"] == STATUS_FINAL, "period"].unique())
        bridge = df[df["period"] == final_periods[-1]].copy() if final_periods else df.iloc[0:0].copy()
        dashed = pd.concat([bridge, prov])
        dashed["segment"] = STATUS_PROVISIONAL
        lines_df = pd.concat([df[df["status"] == STATUS_FINAL], dashed], ignore_index=True)
    else:
        lines_df = df
    series = list(dict.fromkeys(df[color_by]))
    # one data set for every layer (a faceted chart needs it), each layer takes its rows
    data = pd.concat([lines_df.assign(layer="line"), df.assign(layer="point")], ignore_index=True)
    # the series are names in the template: a region whose largest categories differ reuses the chart of their number
    shape = ("trend", measure, unit_title, with_share, color_by, small_multiples, tuple(order), not prov.empty, len(series),
             tuple(data.columns))
    return from_template(shape, data, description, lambda rows, names: _trend(
        rows, measure, description, unit_title, with_share, color_by, small_multiples, order, not prov.empty, list(names)),
        names=tuple(series))


def _trend(data: pd.DataFrame, measure: str, description: str, unit_title: str | None, with_share: bool, color_by: str,
           small_multiples: bool, order: list[str], provisional: bool, series: list[str]):
    field = value_field(measure)
    if small_multiples:
        # a panel is narrow: the years only, at their first half-year
        axis = alt.Axis(labelAngle=-45, labelOverlap=False, labelExpr="indexof(datum.label, ' 2e') >= 0 ? '' : slice(datum.label, 0, 4)")
        legend = None  # each panel is titled with its category
    else:
        axis = alt.Axis(labelAngle=-45, labelOverlap=False)
        legend = alt.Legend(orient="bottom", columns=2, labelLimit=400)
    x = alt.X("period_short:O", sort=order, title=None, axis=axis)
    y = alt.Y(f"{field}:Q", title=_axis_title(measure, unit_title) if not small_multiples else None, axis=_value_axis(measure))
    color = alt.Color(f"{color_by}:N", title=None, sort=series, legend=legend)
    lines = (
        alt.Chart()
        .transform_filter("datum.layer == 'line'")
        .mark_line(invalid="break-paths-show-domains")
        .encode(
            x=x,
            y=y,
            color=color,
            detail="segment:N",
            strokeDash=alt.StrokeDash(
                "segment:N",
                title="Status",
                scale=alt.Scale(domain=[STATUS_FINAL, STATUS_PROVISIONAL], range=[[1, 0], [5, 4]]),
                legend=alt.Legend(orient="bottom") if provisional else None,
            ),
        )
    )
    points = (
        alt.Chart()
        .transform_filter(f"datum.layer == 'point' && isValid(datum.{field})")
        .mark_point(size=45 if not small_multiples else 30, strokeWidth=1.5)
        .encode(
            x=x,
            y=y,
            color=color,
            fill=alt.condition(f"datum.status == '{STATUS_PROVISIONAL}'", alt.value("white"), color),
            tooltip=_tooltip(measure, with_share=with_share),
        )
    )
    secret = (
        alt.Chart()
        .transform_filter(f"datum.layer == 'point' && ({_secret_filter(measure)})")
        .mark_point(shape="cross", color=GREY, size=50, filled=True)
        .encode(x=x, y=alt.value(4), tooltip=_tooltip(measure, with_share=with_share))
    )
    layered = alt.layer(lines, points, secret, data=data)
    if not small_multiples:
        return finish(layered.properties(height=320), description)
    panels = layered.properties(width=SMALL_MULTIPLE_WIDTH, height=SMALL_MULTIPLE_HEIGHT).facet(
        facet=alt.Facet(f"{color_by}:N", sort=series, title=None, header=alt.Header(labelAnchor="start", labelFontWeight="bold", labelLimit=SMALL_MULTIPLE_WIDTH + 40)),
        columns=SMALL_MULTIPLE_COLUMNS,
        spacing={"row": 18, "column": 22},
    ).resolve_scale(y="independent")
    return finish(panels, description)


def comparison_chart(
    cells: pd.DataFrame,
    *,
    measure: str = MEASURE_SHARE,
    description: str,
    region_order: list[str],
    unit_title: str | None = None,
    with_share: bool = True,
):
    """Grouped horizontal bars: categories × regions (e.g. gemeente, VT-regio, Nederland)."""
    df = _prepare(cells, measure)
    order = list(dict.fromkeys(df["category_title"]))
    # the regions are names in the template: a new region reuses the chart of its number of regions
    shape = ("comparison", measure, unit_title, with_share, tuple(order), len(region_order), tuple(df.columns))
    return from_template(shape, df, description, lambda data, regions: _comparison(data, measure, description, list(regions), unit_title, with_share, order),
                         names=tuple(region_order))


def _comparison(df: pd.DataFrame, measure: str, description: str, region_order: list[str], unit_title: str | None,
                with_share: bool, order: list[str]):
    field = value_field(measure)
    palette = [HIGHLIGHT, BASE, "#b0b0b0", "#e0a040"][: len(region_order)]
    # every category keeps its label: with two regions Vega's overlap rule hid half of them
    y = alt.Y("category_title:N", sort=order, title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False))
    yoff = alt.YOffset("region_title:N", sort=region_order)
    base = alt.Chart(df)
    bars = (
        base.transform_filter(f"isValid(datum.{field})")
        .mark_bar()
        .encode(
            x=alt.X(f"{field}:Q", title=_axis_title(measure, unit_title), axis=_value_axis(measure)),
            y=y,
            yOffset=yoff,
            color=alt.Color("region_title:N", title=None, sort=region_order, scale=alt.Scale(domain=region_order, range=palette), legend=alt.Legend(orient="bottom", labelLimit=360)),
            tooltip=_tooltip(measure, with_share=with_share),
        )
    )
    secret = (
        base.transform_filter(_secret_filter(measure))
        .mark_text(align="left", dx=4, color=GREY, fontStyle="italic", fontSize=10)
        .encode(x=alt.value(0), y=y, yOffset=yoff, text="geheim:N", tooltip=_tooltip(measure, with_share=with_share))
    )
    height = max(180, 20 * len(order) * max(len(region_order), 1) + 60)
    return finish(alt.layer(bars, secret).properties(height=height), description)


def ranking_chart(
    cells: pd.DataFrame,
    *,
    measure: str,
    description: str,
    selected: str | None,
    reference: float | None = None,
    reference_label: str = "Nederland",
    unit_title: str | None = None,
    with_share: bool = False,
):
    """Regions as horizontal bars, every bar named, its value printed beside it.

    `cells` are the rows to show, in order (see `vtdata.figures.ranking`), with
    `rank_label` (the name with its rank) and `selected`. The selected region
    is drawn in the highlight colour with a bold label; the reference
    (Nederland's rate or share, never a national count) is a dashed rule.
    A suppressed region keeps its row with "geheim" instead of a bar.
    """
    df = _prepare(cells, measure)
    field = value_field(measure)
    label = label_field(measure)
    if "rank_label" not in df.columns:
        df["rank_label"] = df["region_title"]
    if "selected" not in df.columns:
        df["selected"] = df["region"] == selected
    df["selected"] = df["selected"].astype(bool)
    df["shown"] = [g if s == "" else s for g, s in zip(df[label], df["geheim"])]
    whiskers = "lower" in df.columns and pd.to_numeric(df["lower"], errors="coerce").notna().any()
    if "base_label" in df.columns:  # the base next to the value: "15,8% (n = 95)"
        df["shown"] = [f"{v} ({b})" if b and s == "" else v for v, b, s in zip(df["shown"], df["base_label"], df["geheim"])]
    order = df["rank_label"].tolist()
    y = alt.Y("rank_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False))
    x = alt.X(f"{field}:Q", title=_axis_title(measure, unit_title), axis=_value_axis(measure))
    base = alt.Chart(df)
    color = alt.condition("datum.selected", alt.value(HIGHLIGHT), alt.value(BASE))
    bars = base.transform_filter(f"isValid(datum.{field})").mark_bar().encode(
        x=x, y=y, color=color, tooltip=_tooltip(measure, with_share=with_share)
    )
    # the value beside each bar (a suppressed region: "geheim" at the axis)
    # beside the bar's end, right of it; a fall's text starts right of the zero line (left of its bar
    # it ran into the region names)
    values = base.mark_text(
        align="left", dx=4, fontSize=12, fontWeight=alt.expr("datum.selected ? 'bold' : 'normal'"),
    ).encode(
        x=x,
        y=y,
        text="shown:N",
        color=alt.condition("datum.selected", alt.value(HIGHLIGHT), alt.value("#222")),
    ).transform_calculate(**{field: f"isValid(datum.{field}) ? max(datum.{field}, 0) : 0"})
    layers = [bars, values]
    if whiskers:  # the 95 % interval as a whisker; the value's text sits right of the whisker's end
        layers.insert(1, base.transform_filter("isValid(datum.lower) && isValid(datum.upper)").mark_rule(
            color="#333", strokeWidth=1.2).encode(x=alt.X("lower:Q"), x2="upper:Q", y=y))
        values = values.transform_calculate(
            **{field: f"isValid(datum.upper) && datum.upper > datum.{field} ? datum.upper : datum.{field}"})
        layers[-1] = values
    if reference is not None and pd.notna(reference):
        ref = pd.DataFrame({"ref": [reference], "label": [reference_label]})
        layers.append(
            alt.Chart(ref).mark_rule(color=REFERENCE, strokeDash=[6, 3], strokeWidth=1.5).encode(
                x="ref:Q", tooltip=alt.Tooltip("label:N", title="Referentie")
            )
        )
        layers.append(
            alt.Chart(ref).mark_text(align="left", baseline="top", dx=3, y=-12, color=REFERENCE, fontSize=11).encode(
                x="ref:Q", text="label:N"
            )
        )
    height = max(120, 22 * len(order) + 40)
    return finish(alt.layer(*layers).properties(height=height), description)


VERDICT_COLOURS = {"hoger": "#b2182b", "lager": "#2166ac", "niet afwijkend": "#9a9a9a"}


def funnel_chart(points: pd.DataFrame, lines: pd.DataFrame, *, measure: str, reference: float, description: str,
                 selected: str | None, base_title: str):
    """Funnel plot: each region's value against its base (log scale), with Nederland's value as a line and
    the 95 % and 99,8 % limits around it; a point outside the inner funnel is called hoger/lager.

    `points`: region, region_title, value, base, verdict, value_label (value in the chart's unit: a
    share as a fraction); `lines`: base, lower95, upper95, lower998, upper998 in the same unit.
    """
    x = alt.X("base:Q", title=base_title, scale=alt.Scale(type="log"), axis=alt.Axis(format=",.0f"))
    y_title = _axis_title(measure, None)
    limits = lines.melt("base", var_name="limit", value_name="value")
    limits["band"] = ["99,8%" if c.endswith("998") else "95%" for c in limits["limit"]]
    funnel = alt.Chart(limits).mark_line(color=GREY).encode(
        x=x, y=alt.Y("value:Q", title=y_title, axis=_value_axis(measure)), detail="limit:N",
        strokeDash=alt.StrokeDash("band:N", title="Grens", sort=["95%", "99,8%"], scale=alt.Scale(range=[[4, 3], [1, 3]])),
    )
    ref = alt.Chart(pd.DataFrame({"ref": [reference]})).mark_rule(color=REFERENCE, strokeWidth=1.5).encode(y="ref:Q")
    df = points.assign(selected=points["region"] == selected)
    dots = alt.Chart(df).mark_circle(size=46, opacity=0.85).encode(
        x=x, y="value:Q",
        color=alt.Color("verdict:N", title="Oordeel", scale=alt.Scale(domain=list(VERDICT_COLOURS), range=list(VERDICT_COLOURS.values()))),
        tooltip=[alt.Tooltip("region_title:N", title="Regio"), alt.Tooltip("value_label:N", title="Waarde"),
                 alt.Tooltip("base:Q", title=base_title, format=",.0f"), alt.Tooltip("verdict:N", title="Oordeel")],
    )
    mine = alt.Chart(df[df["selected"]]).mark_point(size=160, color=HIGHLIGHT, strokeWidth=2.5).encode(x=x, y="value:Q")
    names = alt.Chart(df[df["selected"]]).mark_text(align="left", dx=9, fontWeight="bold", color=HIGHLIGHT).encode(
        x=x, y="value:Q", text="region_title:N")
    return finish(alt.layer(funnel, ref, dots, mine, names).properties(height=360), description)
