"""The `/regioprofiel` page: the printable profile of the selected region and period.

The profile itself is `vtdata.outputs.profile` (the CLI writes the same); this page
shows it for the global selection (`region`, `period` in the URL), offers it as
HTML and PDF, and hides the app's chrome when the browser prints the page.
"""

from __future__ import annotations

import logging

import streamlit as st

from vtdata.outputs.profile import ProfileError, RegionProfile, build_profile, profile_filename, profile_html
from vtdata.ui import data
from vtdata.ui.memo import memo
from vtdata.ui.segments import segment

log = logging.getLogger(__name__)

# When printing the page from the browser: only the profile, on A4, in the normal flow.
PRINT_CSS = """<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stDownloadButton"], [data-testid="stAlert"], [data-testid="stCaptionContainer"],
  [data-testid="stSidebarCollapsedControl"], [data-testid="stBottom"], .vtp-screen-only { display: none !important; }
  html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"],
  [data-testid="stMainBlockContainer"] { height: auto !important; overflow: visible !important;
  position: static !important; padding: 0 !important; margin: 0 !important; max-width: none !important; }
}
</style>"""


@memo(maxsize=64)  # the same object on every run (st.cache_data unpickled a copy per run)
def _profile(version: str, region: str, period: str) -> RegionProfile:
    return build_profile(data.get_db(), region, period)


def _pdf(profile: RegionProfile) -> bytes:
    from vtdata.outputs.profile_pdf import profile_pdf  # fpdf2 takes about a second to import: only on a download

    return profile_pdf(profile)


def render_profile_page() -> None:
    from vtdata.ui.state import current_selection

    sel = current_selection()
    db = data.get_db()
    try:
        profile = _profile(db.version, sel.region, sel.period)
    except ProfileError as exc:
        st.title("Regioprofiel")
        st.info(f"{exc} Kies links een gemeente, Veilig Thuis-regio of Nederland.", icon=":material/info:")
        return
    except Exception:
        log.exception("profile failed for %s %s", sel.region, sel.period)
        st.title("Regioprofiel")
        st.error("Het regioprofiel kon niet worden gemaakt. Kies een andere regio of periode.", icon=":material/error:")
        return
    st.html(PRINT_CSS)
    cols = st.columns(3, gap="small", width=620)
    with cols[0]:
        st.download_button(
            "Download als PDF",
            data=lambda: _pdf(profile),
            file_name=profile_filename(profile, "pdf"),
            mime="application/pdf",
            on_click="ignore",
            key="dl-profile-pdf",
            icon=":material/picture_as_pdf:",
        )
    with cols[1]:
        st.download_button(
            "Download als HTML",
            data=lambda: profile_html(profile).encode("utf-8"),
            file_name=profile_filename(profile, "html"),
            mime="text/html",
            on_click="ignore",
            key="dl-profile-html",
            icon=":material/code:",
        )
    segment(db.version, ("profile", sel.region, sel.period), lambda: _draw(profile))


def _draw(profile: RegionProfile) -> None:
    """The profile itself: drawn once per version, region and period, then replayed."""
    st.caption("Afdrukken: gebruik de afdrukfunctie van de browser (Ctrl+P); de pagina is opgemaakt voor A4.")
    st.html(profile_html(profile, standalone=False))
