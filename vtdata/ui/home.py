"""The home page: the Veilig Thuis handelingsprotocol as a work process.

Every step of the process is a card with the headline figures of the selected
region and period from the kerncijfers table (`catalog.KERNCIJFERS_TABLE`).
Measures and totals are found by their titles and topic groups in the table's
own metadata, never by key, so a revised table keeps working. Below the schematic: links to the theme pages and
a short "wat valt op" list, each derived figure saying how it was computed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from vtdata.model.catalog import KERNCIJFERS_TABLE as KERNCIJFERS
from vtdata.model.catalog import THEMES_BY_SLUG
from vtdata.model.catalog import VEILIGHEID_TABLE as VEILIGHEID
from vtdata.model.periods import period_label
from vtdata.figures import pipeline
from vtdata.ui import context, data
from vtdata.ui.memo import built
from vtdata.ui.segments import segment
from vtdata.ui.layout import source_label
from vtdata.format import MISSING_LABEL, format_number, format_percent, is_percent_unit
from vtdata.ui.state import Selection, current_selection, period_options, region_label, region_options

MAX_FIGURES = 3


@dataclass(frozen=True)
class Step:
    key: str
    title: str  # may hold &shy; hyphenation hints
    text: str
    pattern: str  # regular expression on a measure's title, then on its topic group
    pages: tuple[str, ...]  # theme slugs with the details, first is the main link
    phase: str


STEPS: tuple[Step, ...] = (
    Step("advies", "Advies", "Iemand maakt zich zorgen en vraagt Veilig Thuis om advies.",
         r"advie", ("rol-en-organisatie", "kerncijfers"), "Binnenkomst"),
    Step("melding", "Melding", "Een burger of professional meldt een (vermoeden van) huiselijk geweld of kindermishandeling.",
         r"melding", ("eerdere-betrokkenheid", "aard-geweld", "duur-geweld"), "Binnenkomst"),
    Step("triage", "Triage", "Veilig Thuis schat direct in hoe dringend de situatie is.",
         r"triage", ("veiligheid",), "Beoordeling"),
    Step("veiligheidsbeoordeling", "Veiligheids&shy;beoordeling",
         "Binnen vijf werkdagen: is er acute of structurele onveiligheid, en wat is er nodig?",
         r"veiligheidsbeoordel|veiligheidstax", ("veiligheid",), "Beoordeling"),
    Step("onderzoek", "Onderzoek", "Veilig Thuis onderzoekt of er sprake is van geweld of mishandeling.",
         r"onderzoek", ("uitkomsten-onderzoek",), "Vervolg"),
    Step("overdracht", "Overdracht", "Veilig Thuis draagt over aan bijvoorbeeld het lokale team of de jeugdbescherming.",
         r"overdracht|overgedragen", ("overdrachten",), "Vervolg"),
    Step("monitoring", "Monitoring", "Veilig Thuis volgt of de veiligheid na de overdracht hersteld blijft.",
         r"monitor", ("kerncijfers",), "Vervolg"),
)

# Specific steps first: "Afgeronde veiligheidsbeoordelingen" sits under "Meldingen".
_MATCH_ORDER = ("triage", "veiligheidsbeoordeling", "monitoring", "overdracht", "onderzoek", "advies", "melding")
_STEPS_BY_KEY = {s.key: s for s in STEPS}


# --- figures ---------------------------------------------------------------------


def _match_step(text: str) -> str | None:
    for key in _MATCH_ORDER:
        if re.search(_STEPS_BY_KEY[key].pattern, text or "", re.I):
            return key
    return None


def step_measures(measures: pd.DataFrame) -> dict[str, list[dict]]:
    """The measures of the kerncijfers table per step (title match first, then topic group)."""
    result: dict[str, list[dict]] = {s.key: [] for s in STEPS}
    for row in measures.sort_values("position").to_dict("records"):
        step = _match_step(row.get("title") or "") or _match_step(row.get("group_title") or "")
        if step:
            result[step].append(row)
    return result


@dataclass(frozen=True)
class Figure:
    measure: str
    title: str
    text: str  # formatted Dutch, "geheim" when suppressed
    value: float | None
    suppressed: bool


def headline_figures(region: str, period: str) -> dict[str, list[Figure]]:
    """Per step the headline figures of a region and period, formatted as shown (built once per version)."""
    return built(data.get_db().version, ("home-figures", region, period), lambda: _headline_figures(region, period))


def _headline_figures(region: str, period: str) -> dict[str, list[Figure]]:
    measures = data.measures(KERNCIJFERS)
    if measures.empty:
        return {s.key: [] for s in STEPS}
    chosen = {}
    for key, rows in step_measures(measures).items():
        counts = [r for r in rows if not is_percent_unit(r.get("unit"))]
        chosen[key] = (counts or rows)[:MAX_FIGURES]
    keys = [r["key"] for rows in chosen.values() for r in rows]
    # the route of the theme pages and the profile: "geheim" and "bestond niet" alike everywhere
    spec = pipeline.topics_spec(KERNCIJFERS, measures, keys)
    cells = pipeline.figure_cells(data.database(), spec, [region], [period], context.lifetimes(data.get_db().version))
    by_key = {row["category"]: row for row in cells.to_dict("records")}
    result: dict[str, list[Figure]] = {}
    for key, rows in chosen.items():
        result[key] = []
        for row in rows:
            cell = by_key.get(row["key"])
            if cell is None:
                result[key].append(Figure(row["key"], row["title"], MISSING_LABEL, None, False))
                continue
            known = not (cell["suppressed"] or cell["absent"] or pd.isna(cell["value"]))
            result[key].append(Figure(row["key"], row["title"], cell["value_label"], float(cell["value"]) if known else None,
                                      bool(cell["suppressed"])))
    return result


# --- the schematic -------------------------------------------------------------------

_CSS = """
<style>
.vt-flow { display: flex; flex-wrap: wrap; align-items: stretch; margin: 0.25rem 0 0.5rem 0; }
.vt-phase { flex: 1 1 0; min-width: 0; display: flex; flex-direction: column; }
.vt-phase-title { font-size: 0.75rem; letter-spacing: 0.06em; text-transform: uppercase; color: #6b5160;
  padding: 0 0.3rem 0.3rem 0.3rem; border-bottom: 3px solid #e7d3dc; margin: 0 0.25rem 0.5rem 0.25rem; }
.vt-steps { display: flex; align-items: stretch; flex: 1; }
.vt-step { flex: 1 1 0; min-width: 0; display: flex; flex-direction: column; text-decoration: none !important;
  color: inherit !important; background: #fff; border: 1px solid #dcc5d0; border-top: 5px solid #8a1a4b;
  border-radius: 0.5rem; padding: 0.5rem 0.55rem 0.5rem 0.55rem; margin: 0 0.1rem; box-shadow: 0 1px 2px rgba(0,0,0,0.05); }
.vt-step:hover { border-color: #8a1a4b; box-shadow: 0 2px 8px rgba(138,26,75,0.18); }
.vt-num { font-size: 0.7rem; font-weight: 700; color: #8a1a4b; text-transform: uppercase; letter-spacing: 0.05em; }
.vt-title { display: block; font-weight: 700; font-size: 0.98rem; line-height: 1.2; hyphens: manual;
  overflow-wrap: normal; word-break: normal; }
.vt-text { font-size: 0.74rem; color: #555; line-height: 1.3; margin: 0.3rem 0 0.35rem 0; hyphens: manual; }
.vt-fig { margin-top: 0.35rem; line-height: 1.15; }
.vt-val { font-size: 1.3rem; font-weight: 700; color: #2b0a18; font-variant-numeric: tabular-nums; }
.vt-val.vt-secret { font-size: 1rem; font-style: italic; font-weight: 600; color: #5e5d5b; }
.vt-lab { display: block; font-size: 0.72rem; color: #444; hyphens: manual; overflow-wrap: anywhere; }
.vt-none { font-size: 0.78rem; color: #777; font-style: italic; margin-top: 0.3rem; }
.vt-more { margin-top: auto; padding-top: 0.5rem; font-size: 0.72rem; color: #8a1a4b; font-weight: 600;
  hyphens: manual; overflow-wrap: anywhere; }
.vt-arrow { flex: none; align-self: center; color: #8a1a4b; font-size: 1rem; padding: 0; }
@media (max-width: 1100px) { .vt-flow { flex-direction: column; } .vt-phase { margin-bottom: 0.6rem; } }
@media (max-width: 640px) { .vt-steps { flex-direction: column; } .vt-arrow { transform: rotate(90deg); } }
</style>
"""


# Soft hyphens in the long Dutch compounds of the cards, which are narrow.
_COMPOUND_PARTS = re.compile(
    r"(veiligheids|kinder|beoor|betrokken)",
    re.I,
)


def _hyphenate(text: str) -> str:
    """HTML-escaped text with soft hyphens after compound parts of words longer than 12 letters."""

    def word(match: re.Match) -> str:
        w = match.group(0)
        if len(w) <= 12:
            return w
        return _COMPOUND_PARTS.sub(lambda m: m.group(0) + "\u00ad", w).rstrip("\u00ad")

    return html.escape(re.sub(r"[^\W\d_]+", word, text))


def _link(slug: str, selection: Selection) -> str:
    return f"{slug}?{urlencode(selection.query_params)}"


def schematic_html(selection: Selection, figures: dict[str, list[Figure]]) -> str:
    """The process as connected step cards, grouped by phase, as HTML."""
    star = "*" if selection.is_voorlopig else ""
    phases: dict[str, list[Step]] = {}
    for step in STEPS:
        phases.setdefault(step.phase, []).append(step)
    parts = [_CSS, '<div class="vt-flow" role="list" aria-label="Werkproces van Veilig Thuis">']
    number = 0
    for p_index, (phase, steps) in enumerate(phases.items()):
        parts.append(f'<div class="vt-phase" style="flex-grow:{len(steps)}">')
        parts.append(f'<div class="vt-phase-title">{html.escape(phase)}</div><div class="vt-steps">')
        for s_index, step in enumerate(steps):
            number += 1
            if s_index or p_index:
                parts.append('<div class="vt-arrow" aria-hidden="true">&#x279C;</div>')
            main = THEMES_BY_SLUG[step.pages[0]]
            parts.append(
                f'<a class="vt-step" role="listitem" target="_self" href="{html.escape(_link(main.slug, selection))}" '
                f'title="Details: {html.escape(main.title)}">'
                f'<span class="vt-num">Stap {number}</span>'
                f'<span class="vt-title">{step.title}</span>'
                f'<div class="vt-text">{_hyphenate(step.text)}</div>'
            )
            shown = figures.get(step.key) or []
            if not shown:
                parts.append('<div class="vt-none">Geen kerncijfer voor deze stap.</div>')
            for figure in shown:
                secret = " vt-secret" if figure.value is None else ""  # geheim, bestond niet: no number, not drawn as one
                mark = star if figure.value is not None else ""
                parts.append(
                    f'<div class="vt-fig"><span class="vt-val{secret}">{html.escape(figure.text)}{mark}</span>'
                    f'<span class="vt-lab">{_hyphenate(figure.title)}</span></div>'
                )
            parts.append(f'<div class="vt-more">{_hyphenate(main.title)}&nbsp;&rarr;</div></a>')
        parts.append("</div></div>")
    parts.append("</div>")
    return "".join(parts)


# --- "wat valt op" ----------------------------------------------------------------


@dataclass(frozen=True)
class AcuteShares:
    measure_title: str
    shares: pd.DataFrame  # region, name, acute, total, share (percent), VT-regio's, highest first
    national: float | None
    selected: float | None


def acute_shares(selection: Selection) -> AcuteShares | None:
    """Share of meldingen with acute onveiligheid per Veilig Thuis-regio (the veiligheid table), or None.

    Built once per database version, period and region: it reads every region's cells.
    """
    key = ("home-acute", selection.region, selection.period)
    return built(data.get_db().version, key, lambda: _acute_shares(selection))


def _acute_shares(selection: Selection) -> AcuteShares | None:
    found = pipeline.acute_shares(data.database(), VEILIGHEID, selection.period)
    if found is None or found.shares.empty:
        return None
    frame = found.shares.set_index("region")
    names = region_options()
    codes = names["code"]
    level_of = dict(zip(codes, names["level"]))
    name_of = dict(zip(codes, names["name"]))
    share_of = frame["share"].to_dict()
    national = next((float(share_of[c]) for c, lvl in level_of.items() if lvl == "NL" and c in share_of), None)
    selected = float(share_of[selection.region]) if selection.region in share_of else None
    vt = frame[[level_of.get(c) == "VT" for c in frame.index]].copy()
    vt["name"] = [name_of[c] for c in vt.index]
    vt = vt.sort_values(["share", "name"], ascending=[False, True]).reset_index(names=["region"])
    return AcuteShares(found.measure_title, vt, national, selected)


def _signed_percent(value: float) -> str:
    text = format_percent(abs(value), 1)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def _year_before(period: str) -> str:
    return f"{int(period[:4]) - 1}{period[4:]}"


def _changes(selection: Selection) -> list[str]:
    """Headline counts against the same period a year earlier (computed by this app)."""
    before = _year_before(selection.period)
    known = period_options()
    status = dict(zip(known["code"], known["status"]))
    if before not in status:
        return []
    now_figs = headline_figures(selection.region, selection.period)
    old_figs = headline_figures(selection.region, before)
    lines = []
    for key in ("advies", "melding"):
        for new, old in zip(now_figs.get(key, [])[:1], old_figs.get(key, [])[:1]):
            if new.value is None or old.value is None or old.value == 0:
                continue
            change = (new.value - old.value) / old.value * 100
            before_label = period_label(before, status.get(before) if isinstance(status.get(before), str) else None)
            lines.append(
                f"**{new.title}** in {selection.region_label}: {new.text} in {selection.period_label}, "
                f"tegen {old.text} in {before_label} ({_signed_percent(change)})."
            )
    return lines


# --- the page -------------------------------------------------------------------------


def render_home() -> None:
    selection = current_selection()
    # no widgets on this page: drawn once per version, region and period, then replayed
    segment(data.get_db().version, ("home", selection.region, selection.period), lambda: _draw_home(selection))


def _draw_home(selection: Selection) -> None:
    st.title("Handelingsprotocol Veilig Thuis")
    st.markdown(
        "Veilig Thuis is het advies- en meldpunt voor huiselijk geweld en kindermishandeling. "
        "Elk halfjaar leveren de Veilig Thuis-organisaties hun cijfers aan CBS. Deze app laat die "
        "cijfers zien **per Nederland, provincie, Veilig Thuis-regio en gemeente**, langs de stappen "
        "van het handelingsprotocol: van advies en melding tot monitoring. Kies links een regio en "
        "een periode; elke weergave is een link die u kunt delen."
    )

    st.subheader(f"Het werkproces in {selection.region_label}, {selection.period_label}")
    figures = headline_figures(selection.region, selection.period)
    if not any(f.value is not None or f.suppressed for figs in figures.values() for f in figs):
        st.info(
            f"Tabel {KERNCIJFERS} (kerncijfers) bevat geen cijfers voor {selection.region_label} in "
            f"{selection.period_label}.",
            icon=":material/info:",
        )
    st.html(schematic_html(selection, figures))
    legend = f"{source_label(KERNCIJFERS)}. Aantallen afgerond op vijftallen."
    if selection.is_voorlopig:
        legend += " \\* = voorlopig cijfer."
    legend += " 'geheim' = geheim of onbekend (niet 0)."
    st.caption(legend)

    st.markdown("##### Naar de details")
    slugs = [s for s in dict.fromkeys(slug for step in STEPS for slug in step.pages)]
    columns = st.columns(3)
    for index, slug in enumerate(slugs):
        theme = THEMES_BY_SLUG[slug]
        with columns[index % 3]:
            st.page_link(
                f"app_pages/{slug.replace('-', '_')}.py",
                label=theme.title,
                icon=theme.icon,
                query_params=selection.query_params,
                help=theme.intro,
            )

    st.markdown("#### Wat valt op")
    _render_highlights(selection)


def _render_highlights(selection: Selection) -> None:
    lines = _changes(selection)
    shares = acute_shares(selection)
    if shares is not None and len(shares.shares):
        top = shares.shares.head(3)
        line = (
            f"**Hoogste aandeel acute onveiligheid** onder de Veilig Thuis-regio's in {selection.period_label} "
            f"(aandeel van de {shares.measure_title.lower()}):"
        )
        for rank, row in enumerate(top.itertuples(), start=1):
            line += (
                f"\n    {rank}. {row.name}: **{format_percent(row.share, 1)}** "
                f"({format_number(row.acute)} van {format_number(row.total)})"
            )
        compare = []
        if shares.national is not None:
            compare.append(f"Nederland {format_percent(shares.national, 1)}")
        if shares.selected is not None and selection.level not in ("NL",):
            if selection.region not in set(top["region"]):
                compare.append(f"{selection.region_label} {format_percent(shares.selected, 1)}")
        if compare:
            line += "\n\n    Ter vergelijking: " + "; ".join(compare) + "."
        lines.append(line)
    if not lines:
        st.caption("Voor deze regio en periode zijn er geen vergelijkingen te maken.")
        return
    st.markdown("\n".join(f"- {line}" for line in lines))
    notes = [
        "Berekend door deze app uit de StatLine-cijfers; geheime cellen tellen niet mee."
    ]
    if shares is not None:
        notes.append(
            f"Aandeel acute onveiligheid = {shares.measure_title.lower()} met veiligheidstaxatie "
            f"'acute onveiligheid' ÷ alle {shares.measure_title.lower()} (taxatie 'totaal', beoordeling "
            f"'totaal') × 100%, per regio, uit tabel {VEILIGHEID}."
        )
    notes.append(f"Verandering = (deze periode − dezelfde periode een jaar eerder) ÷ een jaar eerder × 100%, tabel {KERNCIJFERS}.")
    st.caption(" ".join(notes))


__all__ = ["render_home", "headline_figures", "step_measures", "acute_shares", "STEPS", "region_label"]
