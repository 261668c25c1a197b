"""The global selection (region and period), bound to the URL.

The selection lives in Session State and in the query parameters `region`
(StatLine code, e.g. GM0363) and `period` (e.g. 2023HJ01), so every view is a
link that can be shared and survives reloads.

Why not `bind="query-params"` on the selectboxes: Streamlit 1.67 stores the
*formatted label* of a bound selectbox in the URL ("Amsterdam (gemeente)"),
drops values equal to the default, and silently discards unknown values. The
contract is the StatLine code in the URL and a Dutch message for a bad link, so
the binding is done here by hand.

Page switches through `st.navigation` in 1.67 keep only the query parameters
that are bound to widgets; `region` and `period` are therefore re-applied from
Session State on every run. A URL that differs from what this module last
wrote (a shared link, a reload, history navigation, a `st.page_link` with
query parameters) wins over Session State.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from vtdata.storage import geo
from vtdata.model import periods as vtperiods
from vtdata.model.catalog import KERNCIJFERS_TABLE
from vtdata.ui import data, url
from vtdata.figures.view_figures import link_lookups
from vtdata.model.view import REPEATED_NOTE, REPLACED, Lookups, View
from vtdata.ui.memo import memo

REGION_PARAM = "region"
PERIOD_PARAM = "period"

# Session State keys (canonical values, what was last put in the URL, widgets).
_REGION = "vt_region"
_PERIOD = "vt_period"
_SEEN_REGION = "_vt_url_region"
_SEEN_PERIOD = "_vt_url_period"
_W_REGION = "_vt_widget_region"
_W_PERIOD = "_vt_widget_period"
_SELECTION = "_vt_selection"


LEVEL_LABELS = {
    "NL": "Nederland",
    "LD": "landsdeel",
    "PV": "provincie",
    "VT": "Veilig Thuis-regio",
    "GM": "gemeente",
}
LEVEL_ORDER = {"NL": 0, "LD": 1, "PV": 2, "VT": 3, "GM": 4}


@dataclass(frozen=True)
class Selection:
    region: str  # StatLine code, e.g. GM0363
    region_name: str  # e.g. Amsterdam
    level: str  # NL | LD | PV | VT | GM
    period: str  # e.g. 2023HJ01
    period_label: str  # e.g. "1e halfjaar 2023*" ("*" when voorlopig)
    period_status: str | None  # Definitief | Voorlopig | Nader voorlopig
    year: int

    @property
    def region_label(self) -> str:
        """'Amsterdam (gemeente)'; just 'Nederland' for the country."""
        return region_label(self.region_name, self.level)

    @property
    def is_voorlopig(self) -> bool:
        return vtperiods.is_provisional(self.period_status)

    @property
    def query_params(self) -> dict[str, str]:
        """The query parameters of this selection, for links to other pages."""
        return {REGION_PARAM: self.region, PERIOD_PARAM: self.period}


@dataclass
class _Resolution:
    selection: Selection
    messages: list[str] = field(default_factory=list)


# --- labels ----------------------------------------------------------------


def region_label(name: str, level: str) -> str:
    if level == "NL":
        return name
    return f"{name} ({LEVEL_LABELS.get(level, level)})"


def period_option_label(code: str, status: str | None) -> str:
    label = vtperiods.period_label(code, status)
    if vtperiods.is_provisional(status):
        label += " (voorlopig)"
    return label


# --- the option lists --------------------------------------------------------


@memo(maxsize=4)  # read on every run: a dict lookup, not a pickled copy
def _region_table(version: str) -> pd.DataFrame:
    """All regions, ordered for the selector, with a unique label per region."""
    frame = data.regions_at(version, None).copy()
    frame["code"] = frame["code"].astype(str).str.strip()
    frame = frame[frame["level"].isin(LEVEL_ORDER)]
    frame["order"] = frame["level"].map(LEVEL_ORDER)
    frame = frame.sort_values(["order", "name", "code"], key=_sort_key).reset_index(drop=True)
    lifetimes = _lifetimes(version)
    labels = []
    for row in frame.itertuples():
        label = region_label(row.name, row.level)
        span = lifetimes.get(row.code)
        if span and lifetimes.get("_range"):
            first, last = span
            lo, hi = lifetimes["_range"]
            if first > lo and last < hi:
                label = label[:-1] + f", {first}–{last})"
            elif first > lo:
                label = label[:-1] + f", vanaf {first})"
            elif last < hi:
                label = label[:-1] + f", t/m {last})"
        labels.append(label)
    frame["label"] = labels
    duplicated = frame["label"].duplicated(keep=False)
    frame.loc[duplicated, "label"] = frame.loc[duplicated, "label"] + " – " + frame.loc[duplicated, "code"]
    return frame.drop(columns="order")


def _sort_key(column: pd.Series) -> pd.Series:
    if column.dtype == object or pd.api.types.is_string_dtype(column):
        return column.astype(str).str.casefold()
    return column


@memo(maxsize=4)  # read on every run: a dict lookup, not a pickled copy
def _period_table(version: str) -> pd.DataFrame:
    """Valid periods, newest first: per year the year figure, then HJ02, HJ01."""
    frame = data.periods_at(version).copy()
    frame["code"] = frame["code"].astype(str).str.strip()
    frame = frame[frame["code"].map(vtperiods.is_period_code)]
    frame["_year"] = frame["code"].str[:4].astype(int)
    frame["_rank"] = frame["code"].str[4:].map({"JJ00": 3, "HJ02": 2, "HJ01": 1})
    frame = frame.sort_values(["_year", "_rank"], ascending=False).reset_index(drop=True)
    frame["status"] = frame["status"].where(frame["status"].notna(), None)
    frame["label"] = [period_option_label(c, s) for c, s in zip(frame["code"], frame["status"])]
    return frame.drop(columns=["_year", "_rank"])


@memo(maxsize=4)  # read on every run: a dict lookup, not a pickled copy
def _lifetimes(version: str) -> dict:
    """First and last membership year per gemeente and Veilig Thuis-regio.

    Built from the bundled gemeente -> Veilig Thuis-regio membership per year.
    `_range` holds the years the membership covers; empty when none is loaded.
    """
    regions = data.regions_at(version, None)
    vt_set = {str(c).strip() for c in regions.loc[regions["level"] == "VT", "code"]}
    years = sorted({int(y) for y in data.periods_at(version)["year"]})
    spans: dict[str, list[int]] = {}
    covered: list[int] = []
    try:
        members = data.database().memberships(years)
    except Exception:  # membership not available: no lifetimes
        return {}
    for year, vt, gm in zip(members["year"], members["vt_region"], members["gemeente"]):
        vt, gm = str(vt).strip(), str(gm).strip()
        if vt not in vt_set:
            continue
        if not covered or covered[-1] != year:
            covered.append(int(year))
        for code in (vt, gm):
            if not spans.get(code) or spans[code][-1] != year:
                spans.setdefault(code, []).append(int(year))
    if not covered:
        return {}
    result: dict = {code: (min(ys), max(ys)) for code, ys in spans.items()}
    result["_range"] = (min(covered), max(covered))
    return result


@dataclass(frozen=True)
class _Lookups:
    """The option lists as plain Python, built once per version: every run reads them."""

    region_codes: list[str]
    region_labels: dict[str, str]
    region_names: dict[str, str]
    region_levels: dict[str, str]
    period_codes: list[str]
    period_labels: dict[str, str]
    period_statuses: dict[str, str | None]


@memo(maxsize=4)
def _lookups(version: str) -> _Lookups:
    regions, periods = _region_table(version), _period_table(version)
    codes = [str(c) for c in regions["code"]]
    return _Lookups(
        region_codes=codes,
        region_labels=dict(zip(codes, regions["label"])),
        region_names=dict(zip(codes, regions["name"].astype(str))),
        region_levels=dict(zip(codes, regions["level"].astype(str))),
        period_codes=[str(c) for c in periods["code"]],
        period_labels=dict(zip(periods["code"], periods["label"])),
        period_statuses={c: (s if isinstance(s, str) else None) for c, s in zip(periods["code"], periods["status"])},
    )


# --- resolving the selection --------------------------------------------------


@memo(maxsize=4)
def _link_lookups(version: str) -> Lookups:
    """What `View.from_query` checks a link's region and period against (the CLI's `figures` uses the same)."""
    return link_lookups(data.database())


def _resolve(db) -> _Resolution:
    """The selection for this run, from the URL or Session State, and messages.

    The link is read by `View.from_query` (the one parser of links); a value in the URL counts
    only when it differs from what this module last wrote there, else Session State holds it.
    """
    version = db.version
    look = _lookups(version)
    if not look.region_codes or not look.period_codes:
        st.error("De database bevat geen regio's of perioden. Bouw hem opnieuw met `python -m vtdata refresh`.")
        st.stop()
    view, notes = View.from_query("", url.pairs(), _link_lookups(version))
    messages = [n.why for n in notes if n.status == REPEATED_NOTE]
    for note in notes:
        if note.status == REPEATED_NOTE:  # leave one value in the link
            url.put(note.name, url.get(note.name))
    state = st.session_state
    chosen = {}
    for param, seen, remembered, value in ((REGION_PARAM, _SEEN_REGION, _REGION, view.region),
                                           (PERIOD_PARAM, _SEEN_PERIOD, _PERIOD, view.period)):
        raw = url.get(param)
        if raw is not None and raw != state.get(seen):
            chosen[param] = value
            messages += [n.why for n in notes if n.name == param and n.status == REPLACED]
        else:
            known = look.region_labels if param == REGION_PARAM else look.period_labels
            kept = state.get(remembered)
            chosen[param] = kept if kept in known else value  # a refresh may remove it: the View's default
    region, period = chosen[REGION_PARAM], chosen[PERIOD_PARAM]
    status = look.period_statuses[period]
    selection = Selection(
        region=region,
        region_name=look.region_names[region],
        level=look.region_levels[region],
        period=period,
        period_label=vtperiods.period_label(period, status),
        period_status=status,
        year=vtperiods.period_year(period),
    )
    return _Resolution(selection, messages)


def _store(selection: Selection) -> None:
    """Remember the selection and put it in the URL (only what changed)."""
    state = st.session_state
    state[_REGION] = selection.region
    state[_PERIOD] = selection.period
    state[_SELECTION] = selection
    for key, value, seen in (
        (REGION_PARAM, selection.region, _SEEN_REGION),
        (PERIOD_PARAM, selection.period, _SEEN_PERIOD),
    ):
        url.put(key, value)
        state[seen] = value


# --- the selectors ---------------------------------------------------------------


def _on_region_change() -> None:
    st.session_state[_REGION] = st.session_state[_W_REGION]


def _on_period_change() -> None:
    st.session_state[_PERIOD] = st.session_state[_W_PERIOD]


def render_global_selectors(db) -> Selection:
    """The region and period selectors in the sidebar; returns the selection.

    Messages about a link that could not be followed, and about a region that
    does not exist in the chosen period, go to the main area.
    """
    resolution = _resolve(db)
    selection = resolution.selection
    look = _lookups(db.version)
    region_labels, period_labels = look.region_labels, look.period_labels

    # The widgets show the canonical selection; their callbacks update it.
    st.session_state[_W_REGION] = selection.region
    st.session_state[_W_PERIOD] = selection.period
    with st.sidebar:
        # A caption close under the box, not help=: Streamlit 1.67 labels a help icon "Help for Regio" (English).
        with st.container(gap=None):
            st.selectbox(
                "Regio",
                options=look.region_codes,
                format_func=lambda code: region_labels.get(code, code),
                key=_W_REGION,
                on_change=_on_region_change,
                placeholder="Zoek een regio",
            )
            st.caption("Typ om te zoeken: gemeente, regio, provincie.")
        st.selectbox(
            "Periode",
            options=look.period_codes,
            format_func=lambda code: period_labels.get(code, code),
            key=_W_PERIOD,
            on_change=_on_period_change,
            placeholder="Kies een periode",  # Streamlit's own is "Choose an option"
        )  # '* = voorlopig cijfer' is in the sidebar's source line
    _store(selection)
    for message in resolution.messages:
        st.info(message, icon=":material/link_off:")
    _explain_missing_region(db, selection)
    return selection


def current_selection() -> Selection:
    """The selection of this run, for the pages."""
    selection = st.session_state.get(_SELECTION)
    if selection is None:  # a page run without the app shell (e.g. a test)
        db = data.get_db()
        selection = _resolve(db).selection
        _store(selection)
    return selection


def select_region(code: str, *, rerun: bool = True) -> bool:
    """Select a region (from a map click or a chart): state, URL, then rerun.

    Pass `rerun=False` inside a widget callback (the app reruns anyway).
    Unknown codes are ignored (False); True when selected.
    """
    code = str(code).strip().upper()
    db = data.get_db()
    if code not in _lookups(db.version).region_labels:
        return False
    state = st.session_state
    state[_REGION] = code
    state[_SEEN_REGION] = code
    url.put(REGION_PARAM, code)
    state.pop(_SELECTION, None)  # resolved again on the next run
    if rerun:
        st.rerun()
    return True


def region_options(db=None) -> pd.DataFrame:
    """`code, title, name, level, label` of all regions, in selector order."""
    db = db or data.get_db()
    return _region_table(db.version)


def period_options(db=None) -> pd.DataFrame:
    """`code, title, year, kind, status, label` of all periods, newest first."""
    db = db or data.get_db()
    return _period_table(db.version)


# --- regions that do not exist (any more) in the chosen period ------------------


def _has_values(region: str, period: str) -> bool | None:
    """Whether the kerncijfers hold any value for the region and period (None: no such table)."""
    try:
        frame = data.observations(KERNCIJFERS_TABLE, regions=[region], periods=[period])
    except Exception:
        return None
    return bool(frame["value"].notna().any()) if len(frame) else False


def _explain_missing_region(db, selection: Selection) -> None:
    if selection.level not in ("GM", "VT"):
        return
    lifetimes = _lifetimes(db.version)
    span = lifetimes.get(selection.region)
    covered = lifetimes.get("_range")
    if not covered or not span:
        return
    first, last = span
    lo, hi = covered
    if not (lo <= selection.year <= hi) or first <= selection.year <= last:
        return
    if _has_values(selection.region, selection.period):
        return  # the data has figures: nothing to explain
    noun = "Gemeente" if selection.level == "GM" else "Veilig Thuis-regio"
    if selection.year < first:
        st.warning(
            f"{noun} {selection.region_name} bestond in {selection.year} nog niet "
            f"(cijfers vanaf {first}); er zijn voor {selection.period_label} geen cijfers. "
            "Kies een latere periode.",
            icon=":material/event_busy:",
        )
        return
    successors = _successors(db, selection.region, selection.level, last, selection.year)
    regions = _region_table(db.version)
    names = dict(zip(regions["code"], regions["name"]))
    successors = [code for code in successors if code in names]
    pronoun = "zij" if selection.level == "GM" else "die"
    if successors:
        listed = " en ".join(names[c] for c in successors) if len(successors) <= 2 else ", ".join(
            names[c] for c in successors
        )
        how = f"{pronoun} is na {last} opgegaan in {listed}"
    else:
        how = f"het laatste jaar was {last}"
    text = (
        f"{noun} {selection.region_name} bestaat niet meer in {selection.period_label}: {how}. "
        f"Voor deze periode zijn er geen cijfers van {selection.region_name}."
    )
    with st.container(border=False):
        st.warning(text, icon=":material/event_busy:")
        for code in successors[:4]:
            st.button(
                f"Toon {names[code]}",
                key=f"_vt_successor_{code}",
                on_click=select_region,
                args=(code,),
                kwargs={"rerun": False},
                icon=":material/arrow_forward:",
            )


def _successors(db, code: str, level: str, last_year: int, year: int) -> list[str]:
    """The regions of `year` that took over `code` (which last existed in `last_year`)."""
    try:
        if level == "GM":
            found = _successors_by_shape(db, code, last_year, year)
            if found:
                return found
            vt = db.vt_region_of(code, last_year)
            if not vt:
                return []
            before = {str(c).strip() for c in db.gemeenten_of(vt, last_year)}
            after = {str(c).strip() for c in db.gemeenten_of(vt, year)}
            return sorted(after - before)
        # A Veilig Thuis-regio: where its gemeenten went.
        members = [str(c).strip() for c in db.gemeenten_of(code, last_year)]
        counts: dict[str, int] = {}
        for gm in members:
            vt = db.vt_region_of(gm, year)
            if vt:
                counts[str(vt).strip()] = counts.get(str(vt).strip(), 0) + 1
        return sorted(counts, key=lambda c: -counts[c])
    except Exception:
        return []


def _successors_by_shape(db, code: str, last_year: int, year: int) -> list[str]:
    """The gemeente of `year` that contains a point inside the old gemeente."""
    try:
        old = db.shapes("GM", last_year)
        new = db.shapes("GM", year)
    except Exception:
        return []
    if old is None or new is None or old.empty or new.empty:
        return []
    row = old.loc[old["code"].astype(str).str.strip() == code]
    if row.empty:
        return []
    point = geo.inner_point(json.loads(row["geometry"].iloc[0]))
    if point is None:
        return []
    for other in new.itertuples():
        if geo.contains(json.loads(other.geometry), point):
            return [str(other.code).strip()]
    return []
