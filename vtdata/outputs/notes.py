"""The "gespreksverslag": the notes of a discussion session as one Markdown file.

Core module (no Streamlit). A note belongs to one view of the app and records
what was on screen when it was written (the view's link, region, period and the
figures shown) beside the text the user typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, UTC

import pandas as pd

from vtdata.format import format_datetime

TITLE = "Gespreksverslag Veilig Thuis in cijfers"
PRIVACY_LINE = (
    "Deze notities staan alleen in uw browsersessie. Na afloop van de sessie wordt niets op de server "
    "bewaard: download het verslag als u het wilt houden."
)


@dataclass
class Note:
    view_title: str
    link: str
    region: str
    period: str
    text: str
    figures: list[tuple[str, str]] = field(default_factory=list)  # (what, formatted value)


def figure_lines(cells: pd.DataFrame, *, max_rows: int = 40) -> list[tuple[str, str]]:
    """(what, value) pairs from the theme pages' cells: region, category, value and share."""
    if cells is None or cells.empty:
        return []
    out = []
    for row in cells.head(max_rows).itertuples(index=False):
        what = " – ".join(str(getattr(row, c)) for c in ("region_title", "period_label", "category_title") if hasattr(row, c))
        value = str(row.value_label)
        share = getattr(row, "share_label", "")
        if isinstance(share, str) and share and share != value:
            value += f" ({share} van het totaal)"
        out.append((what, value))
    if len(cells) > max_rows:
        out.append(("…", f"en nog {len(cells) - max_rows} cijfers; zie de link"))
    return out


def _escape(text: str) -> str:
    """Keep a figure's title from turning into Markdown markup (tables, emphasis)."""
    return str(text).replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def session_markdown(notes: list[Note], *, created: datetime | None = None, demo: bool = False) -> str:
    """The whole session as Markdown: per note its view, link, region, period, figures and text."""
    created = created or datetime.now(UTC)
    lines = [f"# {TITLE}", "", f"Gemaakt op {format_datetime(created)}.", ""]
    if demo:
        lines += ["**Let op: demonstratiegegevens, geen CBS-cijfers.**", ""]
    written = [n for n in notes if n.text.strip()]
    if not written:
        lines += ["Er zijn in deze sessie geen notities gemaakt.", ""]
    for note in written:
        lines += [
            f"## {note.view_title}",
            "",
            f"- Regio: {note.region}",
            f"- Periode: {note.period}",
            f"- Link: <{note.link}>" if note.link else "- Link: (onbekend)",
            "",
        ]
        if note.figures:
            lines += ["Getoonde cijfers:", "", "| Wat | Waarde |", "|---|---|"]
            lines += [f"| {_escape(what)} | {_escape(value)} |" for what, value in note.figures]
            lines.append("")
        lines += ["Notitie:", ""]
        lines += [f"> {line}" if line.strip() else ">" for line in note.text.strip().splitlines()]
        lines.append("")
    source = "Demonstratiegegevens, geen CBS-cijfers" if demo else "Bron: CBS StatLine, bewerking vtdata (CC BY 4.0)"
    lines += ["---", "", f"{source}. {PRIVACY_LINE}", ""]
    return "\n".join(lines)
