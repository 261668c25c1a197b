"""The colofon: sources, refresh, method, licences and the meaning of symbols."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from vtdata.model.catalog import STATLINE_TABLE_URL, TABLES
from vtdata.source.urls import without_credentials
from vtdata.model.periods import is_period_code, period_label
from vtdata.ui import data
from vtdata.ui.memo import built
from vtdata.ui.segments import segment
from vtdata.format import format_date, format_datetime, format_number

def _period_text(code, statuses: dict | None = None) -> str:
    """'1e halfjaar 2025*' ('*' when the period is voorlopig)."""
    code = str(code or "").strip()
    if not is_period_code(code):
        return code
    status = (statuses or {}).get(code)
    return period_label(code, status if isinstance(status, str) else None)


def table_list() -> pd.DataFrame:
    """The tables in the database, in Dutch columns, for the page and the CSV."""
    frame = data.tables()
    periods = data.periods()
    statuses = dict(zip(periods["code"].astype(str).str.strip(), periods["status"]))
    rows = []
    for row in frame.itertuples(index=False):
        table_id = str(row.table_id)
        rows.append(
            {
                "Tabel": table_id,
                "Titel": row.title,
                "StatLine": STATLINE_TABLE_URL.format(table_id=table_id),
                "Gewijzigd door CBS": format_date(row.modified),
                "Rijen": int(row.n_rows) if pd.notna(row.n_rows) else None,
                "Eerste periode": _period_text(row.period_first, statuses),
                "Laatste periode": _period_text(row.period_last, statuses),
            }
        )
    return pd.DataFrame(rows)


def _plain(text: str) -> str:
    """StatLine text shown as Markdown without being read as Markdown or HTML."""
    text = re.sub(r"<[^>]+>", "", str(text))
    return re.sub(r"([\\`*_{}\[\]<>#+!|~$])", r"\\\1", text)


def _paragraphs(text) -> list[str]:
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return []
    parts = re.split(r"\n\s*\n", str(text).replace("\r\n", "\n"))
    return [_plain(p).replace("\n", "  \n") for p in parts if p.strip()]


def render_colofon() -> None:
    # everything but the download button depends only on the database: drawn once per version
    version = data.get_db().version
    tables = segment(version, ("colofon-top",), _draw_top)
    st.download_button(
        "Download de tabellijst (CSV)",
        data=built(version, ("colofon-csv",), lambda: tables.to_csv(index=False, sep=";").encode("utf-8-sig")),
        file_name="vtdata-tabellen.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    segment(version, ("colofon-rest",), lambda: _draw_rest(tables))


def _draw_top() -> pd.DataFrame:
    """Source, refresh and the tables used; returns the table list."""
    db = data.get_db()
    meta = data.meta()
    st.title("Colofon")
    st.markdown(
        "Deze app toont de cijfers die CBS publiceert in het programma *Beleidsinformatie "
        "Veilig Thuis*: wat de Veilig Thuis-organisaties (advies- en meldpunten huiselijk "
        "geweld en kindermishandeling) elk halfjaar aan CBS leveren, per Nederland, "
        "provincie, Veilig Thuis-regio en gemeente. Alle cijfers komen ongewijzigd uit "
        "CBS StatLine; wat de app zelf berekent, staat erbij."
    )

    st.header("Bron en verversing")
    source = meta.get("source", "")
    url = without_credentials(meta.get("statline_url") or "")  # databases built before credentials were stripped
    if db.is_demo:
        described = (
            "demo (demonstratiegegevens: synthetische cijfers in de vorm van de StatLine-tabellen, "
            "geen echte CBS-cijfers)"
        )
    elif source == "statline":
        described = "CBS StatLine (statline)"
    else:
        described = _plain(source)
    facts = [f"- **Bron:** {described}"]
    if url and not db.is_demo:
        facts.append(f"- **Opgehaald van:** {_plain(url)}")
    elif url:
        facts.append(f"- **StatLine-adres van de app:** {_plain(url)} (niet gebruikt voor deze demo)")
    refreshed = format_datetime(meta.get("refreshed_at"))
    if refreshed:
        facts.append(f"- **Bijgewerkt:** {refreshed}")
    facts.append(f"- **Databaseversie:** `{db.version}`")
    st.markdown("\n".join(facts))
    st.caption(
        "Verversen: `python -m vtdata refresh` haalt alle tabellen opnieuw op bij StatLine en "
        "publiceert de nieuwe database pas als die volledig en gecontroleerd is. CBS publiceert "
        "nieuwe halfjaarcijfers eind april en eind oktober."
    )

    st.header("Gebruikte StatLine-tabellen")
    tables = table_list()
    shown = tables.assign(
        Titel=tables["Titel"].str.replace(r"^Huiselijk geweld;\s*", "", regex=True),
        Rijen=[format_number(n) for n in tables["Rijen"]],
    )
    st.caption("Alle titels beginnen met 'Huiselijk geweld;'. Rijen = regels van de dataset (één per regio, periode en categorie).")
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "Tabel": st.column_config.TextColumn("Tabel", width=85),
            "Titel": st.column_config.TextColumn("Titel", width=320),
            "StatLine": st.column_config.LinkColumn("StatLine", display_text="openen", width=65),
            "Gewijzigd door CBS": st.column_config.TextColumn("Gewijzigd (CBS)", width=125),
            "Rijen": st.column_config.TextColumn("Rijen", width=70),
            "Eerste periode": st.column_config.TextColumn("Van", width=120),
            "Laatste periode": st.column_config.TextColumn("Tot en met", width=125),
        },
    )
    return tables


def _draw_rest(tables: pd.DataFrame) -> None:
    known = set(tables["Tabel"])
    missing = [t for t in TABLES if t not in known]
    if missing:
        st.info("Niet in deze database: " + ", ".join(missing) + ".")

    st.header("Onderzoeksbeschrijving")
    st.caption("Per tabel de samenvatting en toelichting zoals CBS die bij de tabel publiceert.")
    full = data.tables()
    for row in full.itertuples(index=False):
        with st.expander(f"{row.table_id} – {row.title}"):
            for paragraph in _paragraphs(getattr(row, "summary", None)):
                st.markdown(f"**{paragraph}**")
            body = _paragraphs(getattr(row, "description", None)) or _paragraphs(
                getattr(row, "short_description", None)
            )
            for paragraph in body or ["Geen toelichting beschikbaar."]:
                st.markdown(paragraph)

    st.header("Tekens en berekeningen")
    st.markdown(
        """
- **geheim** (in StatLine een punt `.`): het cijfer is geheim of onbekend. CBS publiceert
  kleine aantallen niet. Zo'n cel is **nooit 0**: ze telt niet mee in sommen of aandelen en
  krijgt op kaarten een eigen, neutrale kleur.
- **\\*** achter een periode of cijfer: **voorlopig cijfer**. CBS kan het bij een volgende
  publicatie nog bijstellen.
- **Afronding:** CBS rondt alle aantallen af op veelvouden van 5. Daardoor hoeft een totaal
  niet precies gelijk te zijn aan de som van de onderdelen.
- **Afgeleide cijfers** (aandelen, veranderingen) berekent deze app zelf uit de StatLine-cijfers
  en zegt dat erbij. Een aandeel is het aantal in een categorie gedeeld door het totaal van
  dezelfde tabel, regio en periode (× 100%); een verandering vergelijkt met dezelfde periode een
  jaar eerder. Is een van de twee cijfers geheim, dan is het afgeleide cijfer dat ook. Omdat de
  aantallen afgerond zijn, zijn afgeleide cijfers bij kleine aantallen onnauwkeurig.
- **Gemeentelijke herindelingen:** een gemeente die is opgeheven, blijft in StatLine staan
  met lege cellen vanaf het jaar van de herindeling; de app wijst dan op de opvolger.
"""
    )

    st.header("Licenties")
    st.markdown(
        """
- **Cijfers:** CBS StatLine, open data onder de licentie
  [Creative Commons Naamsvermelding 4.0 (CC BY 4.0)](https://creativecommons.org/licenses/by/4.0/deed.nl).
  Bron: CBS.
- **Grenzen van gemeenten en Veilig Thuis-regio's** (kaarten): Bron: CBS, Kadaster
  (gebiedsindelingen, gegeneraliseerd, via PDOK), CC BY 4.0. De indeling van gemeenten per
  Veilig Thuis-regio is daaruit afgeleid door deze app; het is geen CBS-publicatie.
- **Deze app** is geen product van CBS.
"""
    )
