"""What a user looks at, as one immutable value: read from a link, written back to one.

A `View` holds the page and every choice the URL carries (see the design notes'
contract: `region`, `period`, `presentatie`, `stap`, and the theme pages'
`onderwerp`, `indeling`, `categorie`, `vergelijk`, `niveau`, `toon`, `van`, `tot`,
`extra`, `weergave`). `View.from_query` parses query pairs and says per
parameter whether it was used, missing or replaced and why; `View.to_query`
writes only what differs from the defaults, so links stay short. Old links keep
working: `toon=rate` (an early word for per 1.000) reads as `per1000`.

The theme pages key what they draw once and replay on `View.key()` (plus the
database version), so no choice in the link can be left out of that key.
Pure: no Streamlit; the URL itself is read and written by `vtdata.ui.url`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from vtdata.model.periods import is_period_code

# The choices of a theme page, single-valued and repeated (see vtdata.ui.views.choices).
SINGLE = ("onderwerp", "indeling", "categorie", "niveau", "toon", "van", "tot", "weergave")
REPEATED = ("vergelijk", "extra")
SHOW_VALUES = ("per1000", "aandeel", "aantal")
SHOW_ALIASES = {"rate": "per1000", "share": "aandeel", "count": "aantal"}
LEVELS = ("GM", "VT", "PV")
# Only navigation: every tab is drawn on every run, so which one is open does not change a drawing.
NAVIGATION = ("weergave",)

USED, MISSING, REPLACED, IGNORED = "gebruikt", "ontbreekt", "vervangen", "genegeerd"
REPEATED_NOTE = "herhaald"  # a single parameter given more than once: the last value counts
# What may be echoed back from a link in a message; anything else is not repeated on screen.
_SAFE_CODE = re.compile(r"^[A-Za-z0-9]{1,12}$")


@dataclass(frozen=True)
class ParamNote:
    """What became of one query parameter: `status` USED, MISSING, REPLACED or IGNORED, `why` in Dutch."""

    name: str
    status: str
    why: str = ""


@dataclass(frozen=True)
class Lookups:
    """What a link is checked against: the regions and periods of the database and their defaults.

    `default_region_label` and `default_period_label` name the defaults in the notes
    ("Nederland wordt getoond"); without them the codes are named.
    """

    regions: frozenset[str]
    periods: frozenset[str]
    default_region: str
    default_period: str
    default_region_label: str = ""
    default_period_label: str = ""


@dataclass(frozen=True)
class View:
    page: str = ""  # the URL path without "/": a theme slug, "colofon", "regioprofiel", "" for the start page
    region: str | None = None
    period: str | None = None
    presenting: bool = False
    step: int = 1
    choices: tuple[tuple[str, str | tuple[str, ...]], ...] = field(default_factory=tuple)  # sorted by name

    def get(self, name: str, default=None):
        return dict(self.choices).get(name, default)

    def with_choice(self, name: str, value) -> View:
        rest = {k: v for k, v in self.choices if k != name}
        if value not in (None, "", ()):
            rest[name] = tuple(value) if name in REPEATED else str(value)
        return replace(self, choices=tuple(sorted(rest.items())))

    def key(self) -> tuple:
        """What a drawing of this view depends on: everything but navigation (the open tab, the
        presentation step). A step shows one of the views the tabs show, drawn the same whichever
        step it is, so what one step's run prefetched (the Ranglijst, the Verandering) the next finds."""
        return (self.page, self.region, self.period, self.presenting,
                tuple((k, v) for k, v in self.choices if k not in NAVIGATION))

    @classmethod
    def from_query(cls, page: str, pairs: Iterable[tuple[str, str]], lookups: Lookups | None = None
                   ) -> tuple[View, tuple[ParamNote, ...]]:
        """The view of a link (`pairs`: its query parameters, in order; the last of a repeated single one wins).

        With `lookups`, region and period are checked against the database: an unknown one is
        replaced by the default with a note. Unknown parameters are ignored with a note.
        """
        values: dict[str, list[str]] = {}
        for name, value in pairs:
            values.setdefault(str(name), []).append(str(value))
        notes: list[ParamNote] = [
            ParamNote(name, REPEATED_NOTE, f"De link bevat de parameter `{name}` {len(values[name])} keer; "
                      "alleen de laatste waarde is gebruikt.")
            for name in ("region", "period") if len(values.get(name, ())) > 1
        ]
        region = _last(values.pop("region", []))
        period = _last(values.pop("period", []))
        if lookups is not None:
            region = _region(region, lookups, notes)
            period = _period(period, lookups, notes)
        elif period is not None and not is_period_code(period.strip().upper()):
            notes.append(ParamNote("period", REPLACED, f"'{_shown(period)}' is geen periode"))
            period = None
        presenting = _last(values.pop("presentatie", [])) in ("1", "true", "ja")
        step_text = _last(values.pop("stap", [])) or "1"
        step = int(step_text) if step_text.isdigit() and int(step_text) >= 1 else 1
        if str(step) != step_text:
            notes.append(ParamNote("stap", REPLACED, f"'{_shown(step_text)}' is geen stapnummer; stap 1"))
        choices: dict[str, str | tuple[str, ...]] = {}
        for name, raw in values.items():
            if name in REPEATED:
                choices[name] = tuple(dict.fromkeys(v for v in raw if v))
            elif name in SINGLE:
                value = _single(name, _last(raw), notes)
                if value:
                    choices[name] = value
            else:
                notes.append(ParamNote(name, IGNORED, "onbekende parameter"))
        view = cls(page.strip("/"), region, period, presenting, step, tuple(sorted(choices.items())))
        return view, tuple(notes)

    def to_query(self, defaults: View | None = None) -> list[tuple[str, str]]:
        """The query pairs of this view: only what differs from `defaults` (region, period and choices)."""
        base = defaults or View(self.page)
        out: list[tuple[str, str]] = []
        if self.region and self.region != base.region:
            out.append(("region", self.region))
        if self.period and self.period != base.period:
            out.append(("period", self.period))
        if self.presenting:
            out.append(("presentatie", "1"))
            if self.step != 1:
                out.append(("stap", str(self.step)))
        for name, value in self.choices:
            if value == base.get(name):
                continue
            out += [(name, v) for v in value] if name in REPEATED else [(name, value)]
        return out


def _last(values: list[str]) -> str | None:
    return values[-1] if values else None


def _shown(raw: str) -> str:
    """A value from a link as it may be repeated in a note: short."""
    return raw if len(raw) <= 40 else raw[:37] + "..."


def _echo(raw: str) -> str:
    """A region or period code from a link, repeated in a message only when it is a harmless code."""
    return raw if _SAFE_CODE.match(raw) else ""


def _code(name: str, value: str | None, known: frozenset[str], default: str, notes: list[ParamNote],
          why_not: Callable[[str, str], str]) -> str:
    """The link's code if the database knows it, else `default`, with a note: missing, used, or
    replaced because `why_not(code, echo)` (echo: the code when harmless to repeat, else "")."""
    if value is None or value.strip() == "":
        notes.append(ParamNote(name, MISSING, f"standaard {default}"))
        return default
    code = value.strip().upper()
    if code in known:
        notes.append(ParamNote(name, USED))
        return code
    notes.append(ParamNote(name, REPLACED, why_not(code, _echo(value.strip()))))
    return default


def _region(value: str | None, lookups: Lookups, notes: list[ParamNote]) -> str:
    named = lookups.default_region_label or lookups.default_region

    def why_not(code: str, shown: str) -> str:
        return f"{f'Regio {shown}' if shown else 'De regio in de link'} is niet bekend; {named} wordt getoond."

    return _code("region", value, lookups.regions, lookups.default_region, notes, why_not)


def _period(value: str | None, lookups: Lookups, notes: list[ParamNote]) -> str:
    newest = f"de nieuwste periode, {lookups.default_period_label or lookups.default_period}, wordt getoond."

    def why_not(code: str, shown: str) -> str:
        if is_period_code(code):
            return f"Periode {shown} is niet beschikbaar; {newest}"
        if shown:
            return f"Periode {shown} is geen geldige periode (verwacht bijvoorbeeld 2023HJ01 of 2023JJ00); {newest}"
        return f"De periode in de link is niet geldig; {newest}"

    return _code("period", value, lookups.periods, lookups.default_period, notes, why_not)


def _single(name: str, value: str | None, notes: list[ParamNote]) -> str | None:
    if not value:
        return None
    if name == "toon":
        shown = SHOW_ALIASES.get(value, value)
        if shown not in SHOW_VALUES:
            notes.append(ParamNote(name, REPLACED, f"'{_shown(value)}' is geen weergave; de standaard wordt getoond"))
            return None
        if shown != value:
            notes.append(ParamNote(name, REPLACED, f"'{value}' heet nu '{shown}'"))
        return shown
    if name == "niveau" and value.upper() not in LEVELS:
        notes.append(ParamNote(name, REPLACED, f"'{_shown(value)}' is geen niveau; de standaard wordt getoond"))
        return None
    notes.append(ParamNote(name, USED))
    return value.upper() if name == "niveau" else value
