"""The region profile as PDF, drawn with fpdf2 from the same `RegionProfile` as the HTML.

Why fpdf2: pure Python (no browser, no system library), works offline and on
Streamlit Community Cloud, and draws tables with wrapped cells. Text uses
DejaVu Sans when the machine has it (Debian: fonts-dejavu-core), which covers
"−", "→" and "×"; without it the PDF falls back to Helvetica and writes those
characters in Latin-1 ("-", "->", "x").
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from vtdata.outputs import profile as pf

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
_FALLBACK = str.maketrans({"−": "-", "–": "-", "→": "->", "×": "x", "·": "-", "…": "...", "’": "'", "‘": "'", "“": '"', "”": '"'})
GREY = (90, 90, 90)
HEAD_FILL = (238, 243, 248)
DEMO_FILL = (255, 247, 237)


def _font_files() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    return None


class _Pdf(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        fonts = _font_files()
        if fonts:
            self.add_font("DejaVu", "", str(fonts[0]))
            self.add_font("DejaVu", "B", str(fonts[1]))
            self.family_name, self.unicode = "DejaVu", True
        else:
            self.family_name, self.unicode = "Helvetica", False
        self.set_margins(14, 12, 14)
        self.set_auto_page_break(True, margin=16)

    def t(self, text: str) -> str:
        text = str(text)
        return text if self.unicode else text.translate(_FALLBACK).encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool = False, color=(17, 17, 17)) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)
        self.set_text_color(*color)

    def para(self, text: str, size: float = 9.5, *, bold: bool = False, color=(17, 17, 17), gap: float = 1.5) -> None:
        self.font(size, bold, color)
        self.multi_cell(0, size * 0.45, self.t(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def heading(self, text: str) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(1.5)
        self.para(text, 12, bold=True, gap=0.5)
        self.set_draw_color(187, 187, 187)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)

    def bullets(self, lines: list[str]) -> None:
        for line in lines:
            self.font(9.5)
            self.cell(4, 4.3, self.t("•"))
            self.multi_cell(0, 4.3, self.t(line), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def head_size(self, model: pf.TableModel, widths: list[float], padding: float, largest: float = 8) -> float:
        """The largest heading size (pt) at which every word of a heading cell fits its column.

        fpdf2 breaks a word wider than its cell inside the word ("Amsterdam-Amstel|land").
        """
        cells = []
        for row in model.head:
            col = 0
            for text, span in row:
                cells.append((self.t(text), sum(widths[col:col + span]) - 2 * padding - 0.5))
                col += span
        size = largest
        while size > 5:
            self.font(size, bold=True)
            if all(self.get_string_width(word) <= room for text, room in cells for word in text.split()):
                break
            size -= 0.5
        return size

    def table_of(self, model: pf.TableModel, first_width: float = 46) -> None:
        n = sum(span for _, span in model.head[0])
        rest = (self.epw - first_width) / max(n - 1, 1)
        widths, padding = [first_width] + [rest] * (n - 1), 0.8
        head_size = self.head_size(model, widths, padding)
        self.font(8)
        muted = FontFace(color=GREY, emphasis="ITALICS" if not self.unicode else None)
        with self.table(
            col_widths=widths,
            width=self.epw,
            num_heading_rows=len(model.head),
            headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL, size_pt=head_size),
            text_align=["LEFT"] + ["RIGHT"] * (n - 1),
            borders_layout="HORIZONTAL_LINES",
            line_height=3.8,
            padding=padding,
        ) as table:
            for row in model.head:
                cells = table.row()
                for text, span in row:
                    cells.cell(self.t(text), colspan=span)
            for row in model.body:
                cells = table.row()
                for text, is_muted in row:
                    cells.cell(self.t(text), style=muted if is_muted else None)
        self.ln(1)

    def footer(self) -> None:
        self.set_y(-12)
        self.font(7.5, color=GREY)
        self.cell(0, 4, self.t(f"{self.footer_text} · pagina {self.page_no()}"), align="C")


def profile_pdf(p: pf.RegionProfile) -> bytes:
    pdf = _Pdf(f"Regioprofiel {p.name}, {p.period_label} · {p.source_line} · CC BY 4.0")
    pdf.set_title(f"Regioprofiel {p.name} – {p.period_label}")
    pdf.set_author("vtdata")
    pdf.set_lang("nl")
    pdf.add_page()
    pdf.para(f"Regioprofiel {p.name}", 18, bold=True, gap=0.5)
    pdf.para(pf.subtitle(p), 11, color=(51, 51, 51), gap=2)
    if p.demo:
        pdf.set_fill_color(*DEMO_FILL)
        pdf.font(10, bold=True)
        pdf.multi_cell(0, 5, pdf.t(pf.demo_note(p)), border=1, fill=True, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_fill_color(255, 255, 255)  # the table would take over the banner's fill
        pdf.ln(2)
    pdf.heading("Kerncijfers")
    pdf.para(pf.figures_intro(p))
    pdf.table_of(pf.figures_table(p))
    pdf.para(pf.figures_note(p), 7.5, color=GREY)
    pdf.heading("Per 1.000 inwoners")
    rates = pf.rates_table(p)
    if rates:
        pdf.table_of(rates, first_width=70)
        pdf.para(pf.rates_text(p), 7.5, color=GREY)
    else:
        pdf.para(pf.rates_text(p))
    pdf.heading("Opvallende veranderingen")
    pdf.bullets(p.notable) if p.notable else pdf.para(pf.NO_NOTABLE)
    pdf.para(p.notable_rule, 7.5, color=GREY)
    if p.prompts:
        pdf.heading("Vragen voor het gesprek")
        pdf.bullets([q.text for q in p.prompts])
        pdf.para(pf.prompt_rules_text(p), 7.5, color=GREY)
    pdf.heading("Bron")
    pdf.para(pf.source_text(p), 8.5, color=(68, 68, 68))
    return bytes(pdf.output())
