"""The region profile: one printable page per gemeente, Veilig Thuis-regio or Nederland.

Core module (no Streamlit); the app's `/regioprofiel` page and
`python -m vtdata profile` show the same `RegionProfile`.

``build_profile(db, region, period=None) -> RegionProfile``
    The kerncijfers (every topic of the kerncijfers table) of the region, its
    own Veilig Thuis-regio and Nederland (`vtdata.figures.headline`), the changes
    against the same period one and three years earlier, rates per 1.000
    inwoners where the population is known, the notable changes and a few
    discussion prompts (`vtdata.figures.prompts`). Unknown region or period:
    `ProfileError` with one Dutch sentence. Default period: the newest one.
``profile_html(profile) -> str``
    A self-contained HTML page (inline CSS, print CSS for A4, no external request).
The same content as a PDF: `vtdata.outputs.profile_pdf.profile_pdf(profile) -> bytes`
(its own module: it depends on this one, and fpdf2 is imported only when a PDF is asked for).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import pandas as pd

from vtdata.figures import headline as hl
from vtdata.figures import prompts as pr
from vtdata.figures import rates
from vtdata.model.view_spec import Category
from vtdata.outputs.view_export import slugify
from vtdata.model.catalog import REGION_LEVELS, TABLES, region_level
from vtdata.figures.pipeline import figure_cells
from vtdata.format import clipped, format_datetime, format_number, format_percent
from vtdata.model.lifetimes import Lifetimes
from vtdata.model.periods import is_period_code, is_provisional, period_label, period_year

NOTABLE_PCT = 10.0  # a change of at least this many percent is listed under "Opvallende veranderingen"
MAX_NOTABLE = 6
YEARS_BACK = (1, 3)
SOURCE_TEXT = "Bron: CBS StatLine, bewerking vtdata"
DEMO_TEXT = "Demonstratiegegevens, geen CBS-cijfers"
LICENCE_TEXT = "Licentie: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/deed.nl)"
NO_NOTABLE = "Geen verandering van deze omvang (bij bekende cellen)."
RATE_UNAVAILABLE = (
    "niet beschikbaar: de database bevat (nog) geen bevolkingscijfers (CBS-tabel 03759ned), "
    "dus cijfers per 1.000 inwoners kunnen niet worden berekend"
)


class ProfileError(Exception):
    """A region or period that has no profile (one Dutch sentence)."""


@dataclass
class RegionProfile:
    region: str
    name: str
    level_title: str
    period: str
    period_label: str
    provisional: bool
    table_id: str
    table_title: str
    demo: bool
    refreshed_at: str
    compared: list[hl.Compared]
    figures: pd.DataFrame  # headline rows (vtdata.figures.headline.HEADLINE_COLUMNS) against a year earlier
    earlier: dict[int, pd.DataFrame] = field(default_factory=dict)  # years back -> headline rows
    earlier_periods: dict[int, str | None] = field(default_factory=dict)
    rates: pd.DataFrame | None = None  # item_title, role, rate_label (per 1.000 inwoners)
    rates_note: str = RATE_UNAVAILABLE
    notable: list[str] = field(default_factory=list)
    notable_rule: str = ""
    prompts: list[pr.Prompt] = field(default_factory=list)

    @property
    def source_line(self) -> str:
        return DEMO_TEXT if self.demo else SOURCE_TEXT

    @property
    def items(self) -> list[tuple[str, str]]:
        frame = self.figures.drop_duplicates("item")
        return list(zip(frame["item"], frame["item_title"]))

    def row(self, item: str, role: str, years_back: int = 1) -> dict | None:
        frame = self.figures if years_back == 1 else self.earlier.get(years_back)
        if frame is None:
            return None
        hit = frame[(frame["item"] == item) & (frame["role"] == role)]
        return None if hit.empty else hit.iloc[0].to_dict()


def normalise_region(code: str) -> str:
    return (code or "").strip().upper()


def default_period(db, table_id: str | None = None) -> str:
    """The newest period of the kerncijfers table (a year figure before its half years)."""
    codes = [c for c in db.categories(table_id or hl.kerncijfers_table(), "Perioden")["key"].astype(str) if is_period_code(c)]
    if not codes:
        raise ProfileError("De kerncijfertabel heeft geen perioden; ververs de database.")
    return max(codes)  # 2024JJ00 > 2024HJ02 > 2024HJ01, and a newer year before all


def _years_back(period: str, years: int) -> str:
    return f"{period_year(period) - years}{period.strip()[4:]}"


def _headline(db, table_id, items, compared, period, before, lifetimes, measures) -> pd.DataFrame:
    spec = hl.measures_spec(table_id, items, measures)
    periods = [period] + ([before] if before else [])
    # the same route as the pages: labels, geheim, rates (rate, rate_label, rate_basis), "bestond niet"
    cells = figure_cells(db, spec, [c.code for c in compared], periods, lifetimes)
    return hl.headline_rows(cells, items, compared, period, before)


def _population(db, profile_codes: list[str], period: str) -> tuple[pd.DataFrame | None, str]:
    """The population of the compared regions on 1 January of the period's year, or why there is none."""
    if not hasattr(db, "population"):
        return None, RATE_UNAVAILABLE
    reason = db.population_status() if hasattr(db, "population_status") else None
    if reason:
        return None, f"niet beschikbaar: {reason.rstrip('.')}"
    year = rates.population_year(period)
    population = db.population(profile_codes, year)
    if population.empty:
        return None, f"niet beschikbaar: geen bevolkingscijfers voor 1 januari {year}"
    return population, ""


def build_profile(db, region: str, period: str | None = None) -> RegionProfile:
    table_id = hl.kerncijfers_table()
    region = normalise_region(region)
    regions = db.regions()
    known = regions[regions["code"] == region]
    if known.empty or region_level(region) is None:
        raise ProfileError(f"Onbekende regio {clipped(region or '(leeg)')!r}; gebruik een CBS-code zoals GM0363, VT13 of NL01.")
    if region not in set(db.categories(table_id, "RegioS")["key"].astype(str)):
        raise ProfileError(f"Voor {known['name'].iloc[0]} ({region}) heeft de kerncijfertabel geen cijfers.")
    held = set(db.categories(table_id, "Perioden")["key"].astype(str))
    if period is None or str(period).strip() == "":
        period = default_period(db, table_id)
    period = str(period).strip().upper()
    if period not in held:
        raise ProfileError(f"Periode {clipped(period)!r} zit niet in de cijfers; kies bijvoorbeeld {default_period(db, table_id)}.")

    measures = db.measures(table_id)
    items = [Category(str(r.key), str(r.title), None if pd.isna(r.group_title) else str(r.group_title))
             for r in measures.sort_values("position").itertuples(index=False)]
    compared = hl.compared_regions(db, region, period_year(period))
    lifetimes = Lifetimes.load(db)
    population, rates_note = _population(db, [c.code for c in compared], period)
    status = db.categories(table_id, "Perioden").set_index("key")["status"].get(period)
    earlier: dict[int, pd.DataFrame] = {}
    earlier_periods: dict[int, str | None] = {}
    for years in YEARS_BACK:
        before = _years_back(period, years)
        before = before if before in held else None
        earlier_periods[years] = before
        earlier[years] = _headline(db, table_id, items, compared, period, before, lifetimes, measures)
    meta = db.meta()
    tables = db.tables().set_index("table_id")
    profile = RegionProfile(
        region=region,
        name=str(known["name"].iloc[0]),
        level_title=REGION_LEVELS.get(region_level(region), ""),
        period=period,
        period_label=period_label(period, status if isinstance(status, str) else None),
        provisional=is_provisional(status),
        table_id=table_id,
        table_title=str(tables["title"].get(table_id, TABLES[table_id].title)),
        demo=db.is_demo,
        refreshed_at=str(meta.get("refreshed_at") or ""),
        compared=compared,
        figures=earlier[1],
        earlier=earlier,
        earlier_periods=earlier_periods,
    )
    _set_rates(profile, population, rates_note)
    profile.notable, profile.notable_rule = notable_changes(profile)
    profile.prompts = profile_prompts(profile)
    return profile


def _set_rates(profile: RegionProfile, population: pd.DataFrame | None, reason: str) -> None:
    """The rates of the headline rows, with the formula of each basis used; else why there are none."""
    frame = profile.figures
    if population is None or frame["rate"].isna().all():
        profile.rates_note = reason or RATE_UNAVAILABLE
        return
    frame = frame.assign(basis=[rates.basis_of_text(b) for b in frame["rate_basis"]])
    profile.rates = frame[["item", "item_title", "role", "region", "basis", "rate", "rate_label"]].reset_index(drop=True)
    year = rates.population_year(profile.period)
    profile.rates_note = "; ".join(rates.formula_text(b, year) for b in dict.fromkeys(frame["basis"])) + "."


def notable_changes(profile: RegionProfile) -> tuple[list[str], str]:
    """Sentences on the region's changes of at least NOTABLE_PCT %, strongest first."""
    found = []
    for years, frame in profile.earlier.items():
        before = profile.earlier_periods.get(years)
        if not before:
            continue
        own = frame[(frame["role"] == hl.ROLE_REGION) & frame["change_pct"].notna()]
        for r in own.itertuples(index=False):
            if abs(r.change_pct) < NOTABLE_PCT:
                continue
            nl = frame[(frame["item"] == r.item) & (frame["role"] == hl.ROLE_NL)]
            nl_text = ""
            if len(nl) and pd.notna(nl["change_pct"].iloc[0]):
                nl_text = f"; Nederland {hl.signed(format_percent(abs(nl['change_pct'].iloc[0]), 1), nl['change_pct'].iloc[0])}"
            found.append((
                abs(r.change_pct),
                r.item,
                f"{r.item_title}: {format_number(r.before)} ({period_label(before)}) → {r.value_label} "
                f"({profile.period_label}), {r.change_label}{nl_text}.",
            ))
    found.sort(key=lambda item: -item[0])
    strongest: dict[str, str] = {}  # one line per topic: its strongest change
    for _, item, text in found:
        strongest.setdefault(item, text)
    rule = (
        f"Regel: veranderingen van minstens {format_number(NOTABLE_PCT, 0)}% ten opzichte van dezelfde periode "
        f"een en drie jaar eerder; percentage = (nu − toen) / toen, alleen waar toen minstens {hl.MIN_BASE_PCT} was "
        "en beide cellen bekend zijn."
    )
    return list(strongest.values())[:MAX_NOTABLE], rule


def profile_prompts(profile: RegionProfile) -> list[pr.Prompt]:
    """Discussion prompts from the profile: rates where known, and the changes over three years (else one)."""
    years = next((y for y in sorted(YEARS_BACK, reverse=True) if profile.earlier_periods.get(y)), 1)
    frame = profile.earlier.get(years, profile.figures)
    rate_of = {}
    if profile.rates is not None:
        rate_of = {(r.item, r.role): r.rate for r in profile.rates.itertuples(index=False) if pd.notna(r.rate)}
    rows = []
    for item, title in profile.items:
        own = _role_row(frame, item, hl.ROLE_REGION)
        nl = _role_row(frame, item, hl.ROLE_NL)
        has_rate = (item, hl.ROLE_REGION) in rate_of
        rows.append({
            "title": title,
            "unit": pr.UNIT_RATE if has_rate else pr.UNIT_COUNT,
            "region": rate_of.get((item, hl.ROLE_REGION), math.nan),
            "vt_region": rate_of.get((item, hl.ROLE_VT), math.nan),
            "nederland": rate_of.get((item, hl.ROLE_NL), math.nan),
            "base": _num(own.get("value")),
            "count": _num(own.get("value")),
            "count_before": _num(own.get("before")),
            "change_nl": _num(nl.get("change_pct")),
        })
    vt = next((c.name for c in profile.compared if c.role == hl.ROLE_VT), None)
    before = profile.earlier_periods.get(years)
    return pr.discussion_prompts(
        pd.DataFrame(rows, columns=pr.FIGURE_COLUMNS),
        region_name=profile.name,
        period_label=profile.period_label,
        vt_region_name=vt,
        before_label=period_label(before) if before else None,
    )


def _role_row(frame: pd.DataFrame, item: str, role: str) -> dict:
    hit = frame[(frame["item"] == item) & (frame["role"] == role)]
    return {} if hit.empty else hit.iloc[0].to_dict()


def _num(value) -> float:
    return math.nan if value is None or pd.isna(value) else float(value)


# --- HTML ------------------------------------------------------------------------------

CSS = """
.vtp { font-family: "Source Sans", "Source Sans 3", "Source Sans Pro", "DejaVu Sans", Arial, sans-serif; color: #111; font-size: 10pt;
       line-height: 1.35; max-width: 190mm; margin: 0 auto; }
.vtp h1 { font-size: 18pt; margin: 0 0 2pt; }
.vtp h2 { font-size: 12pt; margin: 10pt 0 4pt; border-bottom: 1px solid #bbb; padding-bottom: 2pt; }
.vtp .vtp-sub { color: #333; font-size: 11pt; margin: 0 0 6pt; }
.vtp .vtp-demo { border: 2px solid #b45309; background: #fff7ed; padding: 4pt 6pt; margin: 6pt 0; font-weight: bold; }
.vtp table { border-collapse: collapse; width: 100%; font-size: 9pt; }
.vtp th, .vtp td { border-bottom: 1px solid #ddd; padding: 2pt 4pt; text-align: right; vertical-align: top; }
.vtp th:first-child, .vtp td:first-child { text-align: left; white-space: normal; }
.vtp td { white-space: nowrap; }
.vtp thead th { background: #eef3f8; font-weight: bold; }
.vtp .vtp-secret { color: #666; font-style: italic; }
.vtp ul { margin: 2pt 0 2pt 14pt; padding: 0; }
.vtp li { margin: 1pt 0; }
.vtp .vtp-rule, .vtp .vtp-source { color: #444; font-size: 8pt; }
.vtp section { break-inside: avoid; page-break-inside: avoid; }
@page { size: A4; margin: 12mm; }
@media print {
  .vtp { max-width: none; font-size: 9pt; }
  .vtp h2 { margin-top: 7pt; }
  .vtp thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .vtp a { color: inherit; text-decoration: none; }
}
"""


def _e(text) -> str:
    return html.escape(str(text))


@dataclass
class TableModel:
    """A table for both renderers: heading rows of (text, colspan), body rows of (text, muted)."""

    head: list[list[tuple[str, int]]]
    body: list[list[tuple[str, bool]]]


def _shown(row: dict | None, column: str) -> tuple[str, bool]:
    if row is None:
        return "–", True
    text = row.get(column) or "–"
    muted = column == "value_label" and bool(row.get("suppressed") or row.get("absent") or row.get("value") is None)
    return str(text), muted


def figures_table(p: RegionProfile) -> TableModel:
    """Topics × (the region: value and changes; its VT-regio and Nederland: value and change a year back)."""
    back = [y for y in YEARS_BACK if p.earlier_periods.get(y)]

    def windows(role: str) -> list[int]:
        return back if role == hl.ROLE_REGION else back[:1]

    head = [[("Onderwerp", 1)] + [(c.name, 1 + len(windows(c.role))) for c in p.compared], [("", 1)]]
    for c in p.compared:
        head[1].append(("aantal", 1))
        head[1] += [(f"verschil {y} jr", 1) for y in windows(c.role)]
    body = []
    for item, title in p.items:
        row = [(title, False)]
        for c in p.compared:
            row.append(_shown(p.row(item, c.role), "value_label"))
            row += [_shown(p.row(item, c.role, y), "change_label") for y in windows(c.role)]
        body.append(row)
    return TableModel(head, body)


def rates_table(p: RegionProfile) -> TableModel | None:
    if p.rates is None or p.rates.empty:
        return None
    roles = [c for c in p.compared if c.role in set(p.rates["role"])]
    index = {(r.item, r.role): r.rate_label for r in p.rates.itertuples(index=False)}
    head = [[("Onderwerp", 1)] + [(c.name, 1) for c in roles]]
    body = [[(title, False)] + [(str(index.get((item, c.role), "–")), False) for c in roles] for item, title in p.items]
    return TableModel(head, body)


def subtitle(p: RegionProfile) -> str:
    vt = next((c.name for c in p.compared if c.role == hl.ROLE_VT), None)
    return f"{p.level_title} ({p.region}) · {p.period_label}" + (f" · Veilig Thuis-regio {vt}" if vt else "")


def figures_intro(p: RegionProfile) -> str:
    compared = " en ".join(c.name for c in p.compared[1:])
    return (
        f"Aantallen van {p.name}" + (f", vergeleken met {compared}" if compared else "")
        + ", en de verandering ten opzichte van dezelfde periode eerder."
    )


def figures_note(p: RegionProfile) -> str:
    windows = "; ".join(
        f"verschil {y} jr = ten opzichte van {period_label(code)}" for y, code in p.earlier_periods.items() if code
    )
    return (
        (f"{windows[:1].upper()}{windows[1:]}. " if windows else "Geen eerdere periode in de cijfers. ")
        + f"Verschil = aantal nu − aantal toen; het percentage is dat verschil / aantal toen, alleen waar dat "
        f"minstens {hl.MIN_BASE_PCT} is. Aantallen zijn door CBS afgerond op vijftallen; "
        "'geheim' = niet gepubliceerd; 'bestond niet' = de regio bestond toen niet."
        + (" * = voorlopig cijfer." if p.provisional else "")
    ).strip()


def demo_note(p: RegionProfile) -> str:
    return f"{DEMO_TEXT}: deze cijfers zijn verzonnen en alleen bedoeld om de app te bekijken." if p.demo else ""


def source_text(p: RegionProfile) -> str:
    refreshed = f" Bijgewerkt: {format_datetime(p.refreshed_at)}." if p.refreshed_at else ""
    return f"{p.source_line}. Tabel {p.table_id}: {p.table_title}.{refreshed} {LICENCE_TEXT}."


def prompt_rules_text(p: RegionProfile) -> str:
    return "Regels: " + " ".join(dict.fromkeys(q.rule_text for q in p.prompts))


def rates_text(p: RegionProfile) -> str:
    return p.rates_note if p.rates is not None and not p.rates.empty else f"Cijfers per 1.000 inwoners: {p.rates_note}."


def _html_table(table: TableModel) -> str:
    head = "".join(
        "<tr>" + "".join(f'<th colspan="{span}">{_e(text)}</th>' if span > 1 else f"<th>{_e(text)}</th>" for text, span in row) + "</tr>"
        for row in table.head
    )
    body = "".join(
        "<tr>" + "".join(f'<td class="vtp-secret">{_e(t)}</td>' if muted else f"<td>{_e(t)}</td>" for t, muted in row) + "</tr>"
        for row in table.body
    )
    return f"<table><thead>{head}</thead><tbody>{body}</tbody></table>"


def profile_html(p: RegionProfile, *, standalone: bool = True) -> str:
    """The profile as HTML: a full page (standalone) or a fragment for the app."""
    parts = ['<div class="vtp">', f"<h1>Regioprofiel {_e(p.name)}</h1>", f'<p class="vtp-sub">{_e(subtitle(p))}</p>']
    if p.demo:
        parts.append(f'<p class="vtp-demo">{_e(demo_note(p))}</p>')
    parts += [
        f"<section><h2>Kerncijfers</h2><p>{_e(figures_intro(p))}</p>",
        _html_table(figures_table(p)),
        f'<p class="vtp-rule">{_e(figures_note(p))}</p></section>',
        "<section><h2>Per 1.000 inwoners</h2>",
    ]
    rates = rates_table(p)
    parts.append(_html_table(rates) + f'<p class="vtp-rule">{_e(rates_text(p))}</p>' if rates else f"<p>{_e(rates_text(p))}</p>")
    parts.append("</section><section><h2>Opvallende veranderingen</h2>")
    if p.notable:
        parts.append("<ul>" + "".join(f"<li>{_e(line)}</li>" for line in p.notable) + "</ul>")
    else:
        parts.append(f"<p>{_e(NO_NOTABLE)}</p>")
    parts.append(f'<p class="vtp-rule">{_e(p.notable_rule)}</p></section>')
    if p.prompts:
        parts.append("<section><h2>Vragen voor het gesprek</h2><ul>")
        parts += [f"<li>{_e(q.text)}</li>" for q in p.prompts]
        parts.append(f'</ul><p class="vtp-rule">{_e(prompt_rules_text(p))}</p></section>')
    parts += [f'<section><h2>Bron</h2><p class="vtp-source">{_e(source_text(p))}</p></section>', "</div>"]
    body = "\n".join(parts)
    if not standalone:
        return f"<style>{CSS}</style>{body}"
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        f"<title>Regioprofiel {_e(p.name)} – {_e(p.period_label)}</title>"
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>'
        f"<body>{body}</body></html>\n"
    )


def profile_filename(p: RegionProfile, ext: str) -> str:
    return f"regioprofiel_{slugify(p.name)}_{p.period}.{ext}"
