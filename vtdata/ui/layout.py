"""Page chrome shared by every page: the demo banner and the sidebar footer."""

from __future__ import annotations

import streamlit as st

from vtdata.ui.element_code import preload_script

# The command is in the colofon, in context: a code span here loaded a monospace font (90 KB) on every first visit.
DEMO_BANNER = "**Demonstratiegegevens, geen echte CBS-cijfers.** Hoe u de echte cijfers ophaalt, staat in het colofon."


REFRESH_RUNNING = (
    "Er worden nieuwe cijfers opgehaald bij CBS StatLine. De app blijft bruikbaar; "
    "zodra de nieuwe database klaar is, toont de volgende klik de nieuwe cijfers."
)


DEMO_BANNER_PLAIN = "**Let op:** deze cijfers zijn verzonnen demonstratiecijfers, geen echte CBS-cijfers."


PAGE_CSS = """
<style>
/* the figures start higher (issue 19: headline and the start of the view above the fold at
   1280x720): Streamlit's default leaves ~6rem above the first element and 1rem between elements */
[data-testid="stMainBlockContainer"] { padding-top: 2.9rem; padding-left: 2.5rem; padding-right: 2.5rem; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.7rem; }
h1 { font-size: 1.9rem !important; padding: 0.1rem 0 0.15rem 0 !important; }
[data-testid="stMain"] h2 { font-size: 1.45rem !important; padding: 0.3rem 0 0.2rem 0 !important; }
[data-testid="stMain"] h3 { font-size: 1.2rem !important; padding: 0.25rem 0 0.15rem 0 !important; }
[data-testid="stTabs"] [role="tabpanel"] { padding-top: 0.3rem; }
[data-testid="stMain"] [data-testid="stExpander"] summary { padding-top: 0.3rem; padding-bottom: 0.3rem; }
/* the demo banner in one slim line */
[data-testid="stMain"] [data-testid="stAlertContainer"] { padding: 0.35rem 0.8rem; }
[data-testid="stMain"] [data-testid="stAlertContainer"] p { font-size: 0.9rem; }
/* WCAG 1.4.3: Streamlit draws captions in the text colour at opacity 0.6 (#828180, contrast 3.88
   on white); this grey at full opacity is 6.1 (5.3 on the sidebar's grey), code in a caption too */
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] code { color: #5e5d5b !important; }
/* Streamlit's element toolbars ("Show data", "Fullscreen", "Download as CSV", "Search") speak
   English only; every chart and table has the Dutch "Afbeelding" menu and "Download als CSV" */
[data-testid="stElementToolbar"] { display: none !important; }
/* a search without matches: Streamlit's fixed "No results" (its only option without data-key) in Dutch */
[data-testid="stSelectboxVirtualDropdown"] [role="option"]:not([data-key]) > span { font-size: 0; }
[data-testid="stSelectboxVirtualDropdown"] [role="option"]:not([data-key]) > span::after {
  content: "Geen resultaten"; font-size: 1rem;
}
/* WCAG 2.4.7: a visible focus on everything Tab reaches; Streamlit's page links, its main area,
   a tab's panel, the map (deck.gl takes the focus on its inner events root) and a selectbox
   after a choice show none of their own */
a:focus-visible, [data-testid="stMain"]:focus-visible, [data-testid="stTab"]:focus-visible,
[data-testid="stDeckGlJsonChart"]:focus-visible, [data-testid="stDeckGlJsonChart"] .deck-events-root:focus-visible,
[data-testid="stSelectbox"] div:has(> input:focus) {
  outline: 3px solid #8a1a4b !important; outline-offset: 1px;
}
</style>
"""

# WCAG 3.1.1, 2.4.1 and 4.1.2: Streamlit's page says lang="en" (a screen reader then reads the
# Dutch text with English pronunciation), its skip link "Skip to main content", and some of its
# controls' names are English: "Open" on a selectbox, "Clear all" and "Remove ..." on a
# multiselect, "Link to heading" on a heading's anchor. CSS could hide English words only from
# sight, not from a name. React leaves text and attributes it did not change alone; the
# observer translates what Streamlit draws anew, also the texts of its connection-error dialog
# and header status, which only Streamlit draws.
DUTCH_PAGE_JS = """
<script>
(function () {
  const doc = document;  // st.html runs a script in the app's own document; a page that embeds the app (Community Cloud) is another
  const NAMES = {"Open": "Openen", "Clear all": "Alles wissen", "Selected values": "Gekozen waarden",
                 "Link to heading": "Link naar deze kop", "Skip to main content": "Naar de inhoud",
                 "Close": "Sluiten"};
  const ENGLISH = Object.keys(NAMES).map(n => `[aria-label="${n}"]`).join(", ") + ', [aria-label^="Remove "]';
  // Streamlit's own texts in its dialogs (the connection error) and its status in the header.
  const TEXTS = {
    "Connection error": "Geen verbinding met de server",
    "Streamlit server is not responding. Are you connected to the internet?":
      "De server reageert niet. Zodra de verbinding terug is, verdwijnt deze melding vanzelf. " +
      "Blijft ze staan, controleer dan de internetverbinding of herlaad de pagina later.",
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:":
      "Draait de app nog? Start hem dan opnieuw in de terminal:",
    "streamlit run yourscript.py": "make run",
    "Connection timed out.": "De server antwoordde niet op tijd.",
    "Connecting": "Verbinden", "Connecting to Streamlit server": "Verbinding maken met de server",
    "Unable to connect to Streamlit server": "Geen verbinding met de server", "Error": "Fout",
    "Running...": "Bezig...", "Stop": "Stoppen", "Please wait...": "Even geduld...",
  };
  const FAILED = /^Connection failed with status ([0-9]+)(, and response:|[.])$/;
  const CHROME = '[role="dialog"], [data-testid="stStatusWidget"]';
  const translate = (root) => {
    const walk = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      const text = node.nodeValue.trim();
      const failed = text.match(FAILED);
      const dutch = TEXTS[text] || (failed && `Verbinding mislukt (HTTP-status ${failed[1]})${failed[2] === "." ? "." : "; antwoord:"}`);
      if (dutch) node.nodeValue = dutch;
    }
    for (const el of root.querySelectorAll("[title]")) {
      const title = TEXTS[el.getAttribute("title")];
      if (title) el.setAttribute("title", title);
    }
  };
  const dutch = () => {
    if (doc.documentElement.lang !== "nl") doc.documentElement.lang = "nl";
    const skip = doc.querySelector('[data-testid="stSkipToContent"]');
    if (skip && skip.textContent !== NAMES["Skip to main content"]) skip.textContent = NAMES["Skip to main content"];
    for (const el of doc.querySelectorAll(ENGLISH)) {
      const name = el.getAttribute("aria-label");
      el.setAttribute("aria-label", NAMES[name] || name.replace(/^Remove (.*)$/, "$1 verwijderen"));
    }
    for (const root of doc.querySelectorAll(CHROME)) translate(root);
  };
  dutch();
  if (doc.__vtDutch) return;
  doc.__vtDutch = true;
  new MutationObserver(dutch).observe(doc.documentElement, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["lang", "aria-label", "title"],
  });
})();
</script>
"""


def page_style() -> None:
    st.html(PAGE_CSS + DUTCH_PAGE_JS + preload_script(), unsafe_allow_javascript=True)


def demo_banner(db, *, plain: bool = False) -> None:
    """A clear warning on every page when the database holds demo data (in plain words on a projector)."""
    if db.is_demo:
        st.warning(DEMO_BANNER_PLAIN if plain else DEMO_BANNER, icon=":material/science:")


def refresh_notice() -> None:
    """Say so while a refresh runs; the published version keeps serving meanwhile."""
    from vtdata.storage.store import db_path, refresh_running

    if refresh_running(db_path()):
        st.info(REFRESH_RUNNING, icon=":material/sync:")


def sidebar_footer(db) -> None:
    """Where the figures come from, in one line under the selectors."""
    from vtdata.format import format_datetime

    meta = db.meta()
    source = "demonstratiegegevens" if db.is_demo else "CBS StatLine"
    when = format_datetime(meta.get("refreshed_at"))
    with st.sidebar:
        st.caption(
            f"Bron: {source}" + (f", bijgewerkt {when}" if when else "") + ". "
            # 'geheim' in quotes, as the pages write it: italics would load a font file (138 KB) for one word
            "\\* = voorlopig cijfer; 'geheim' = niet gepubliceerd (geheim of onbekend)."
        )


def source_label(table_id: str) -> str:
    """'Bron: ...' for a chart caption; demo data never pass for CBS figures."""
    from vtdata.ui import data

    if data.is_demo():
        return f"Bron: demonstratiegegevens in de vorm van CBS-tabel {table_id} (geen echte CBS-cijfers)"
    return f"Bron: CBS StatLine, tabel {table_id}"
