"""The "Tabel" expander under every chart: the same figures as Dutch strings and a CSV download.

The CSV holds exactly what the chart shows: codes and titles of region, period,
measure and categories, the StatLine value (empty when suppressed, a count
without decimals), a symbol column ('.' geheim, '*' voorlopig), the share where
the chart shows shares, the source table id and the source line ("DEMO:
demonstratiegegevens, geen CBS-cijfers" on demo data), like the CLI export.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from vtdata.model.view_spec import ViewSpec

from vtdata.outputs.view_export import csv_bytes, display_frame, export_frame
from vtdata.outputs.export import source_label
from vtdata.ui import data


def folded(label: str, *, key: str, icon: str | None = None):
    """A closed expander whose content is built only once it is opened (None while closed).

    Streamlit mounts what is inside a closed expander too: a data grid there makes a fresh
    browser fetch and start Streamlit's grid component (about 2 s of browser work here) for
    something nobody opened yet.
    """
    box = st.expander(label, expanded=False, key=key, icon=icon, on_change="rerun")
    return None if box.open is False else box


def chart_table(
    cells: pd.DataFrame,
    spec: ViewSpec,
    *,
    key: str,
    filename: str,
    with_share: bool = False,
    columns: tuple[str, ...] = ("region_title", "period_label", "category_title"),
    note: str | None = None,
) -> None:
    """An expander "Tabel" with the figures of a chart and a CSV download of them.

    The table is built only while the expander is open (a closed one costs nothing).
    """
    table = folded("Tabel", key=f"tbl-{key}")
    if table is None:
        return
    with table:
        if cells.empty:
            st.caption("Geen cijfers om te tonen.")
            return
        source = source_label(data.get_db().meta().get("source"))
        st.dataframe(
            display_frame(cells, with_share=with_share, columns=columns),
            hide_index=True,
            width="stretch",
        )
        st.download_button(
            "Download als CSV",
            # built only when clicked, and no rerun after the download
            data=lambda: csv_bytes(export_frame(cells, spec, source=source, with_share=with_share)),
            file_name=filename,
            mime="text/csv",
            on_click="ignore",
            key=f"dl-{key}",
            icon=":material/download:",
        )
        st.caption(
            (note + " " if note else "")
            + "CSV met puntkomma's en decimale komma (opent direct in Excel). "
            "Symbool '.' = geheim (lege waarde), '*' = voorlopig cijfer."
        )
