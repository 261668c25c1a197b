"""Command line: python -m vtdata refresh | status | export | ensure | profile | metadata | ranking | figures.

Every failure ends in one clear line on stderr and a non-zero exit code,
never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import NoReturn

from vtdata.storage import store
from vtdata.model.catalog import TABLES
from vtdata.format import clipped
from vtdata.model.periods import is_period_code
from vtdata.source.urls import without_credentials

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM
TERMINATED_LINE = "Afgebroken (SIGTERM); de gepubliceerde database is ongewijzigd."


class Terminated(KeyboardInterrupt):
    """SIGTERM (e.g. a stopped container): unwinds like Ctrl-C, so a refresh cleans up and says so."""


_terminated = threading.Event()  # set by SIGTERM: DuckDB turns the signal into "Query interrupted"


def _raise_terminated(signum, frame):
    _terminated.set()
    raise Terminated()


class CliError(Exception):
    """A user error with a one-line Dutch message."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m vtdata", description="Veilig Thuis-cijfers van CBS StatLine in DuckDB.")
    sub = parser.add_subparsers(dest="command", required=True)

    refresh = sub.add_parser("refresh", help="bouw een nieuwe database en publiceer die atomair")
    refresh.add_argument("--source", choices=("statline", "demo"), default="statline")
    refresh.add_argument("--db", help="pad van de database (standaard $VTDATA_DB of data/vtdata.duckdb)")
    refresh.add_argument("--if-stale", action="store_true", help="alleen downloaden wat bij CBS nieuwer is")
    refresh.add_argument("--quiet", action="store_true", help="geen voortgang tonen")
    refresh.add_argument(
        "--table", action="append", default=None, metavar="ID",
        help="alleen deze tabel downloaden (herhaalbaar); de andere blijven zoals ze zijn",
    )

    status = sub.add_parser("status", help="wat de database bevat")
    status.add_argument("--db")
    status.add_argument("--json", action="store_true")
    status.add_argument("--themes", action="store_true", help="per thema: tabel, onderwerpen, categorieën, totaal en wat is weggelaten")

    export = sub.add_parser("export", help="cijfers van een tabel als CSV of JSON")
    export.add_argument("table_id")
    export.add_argument("--region", action="append", default=None, metavar="CODE")
    export.add_argument("--period", action="append", default=None, metavar="CODE")
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--output", help="bestand (standaard: standaarduitvoer)")
    export.add_argument("--db")

    profile = sub.add_parser("profile", help="regioprofiel als HTML of PDF (naar de extensie van --output)")
    profile.add_argument("region", metavar="REGION", help="CBS-regiocode, bijvoorbeeld GM0363, VT13 of NL01")
    profile.add_argument("--period", metavar="CODE", help="periode, bijvoorbeeld 2023HJ01 (standaard de nieuwste)")
    profile.add_argument("--output", help="bestand .html of .pdf (standaard: HTML op standaarduitvoer)")
    profile.add_argument("--db")

    metadata = sub.add_parser("metadata", help="metadata van de tabellen als JSON, zonder cijfers (testfixture)")
    metadata.add_argument("--output", required=True, metavar="DIR", help="map voor de JSON-bestanden, een per tabel")
    metadata.add_argument("--table", action="append", default=None, metavar="ID", help="alleen deze tabel (herhaalbaar)")
    ranking = sub.add_parser("ranking", help="ranglijst van een thema: waarde, basis, interval en oordeel per regio")
    ranking.add_argument("theme", metavar="THEME", help="thema, bijvoorbeeld veiligheid")
    ranking.add_argument("--category", required=True, metavar="TITLE|KEY", help="categorie (titel of StatLine-sleutel)")
    ranking.add_argument("--level", required=True, metavar="GM|VT|PV", help="gemeenten, Veilig Thuis-regio's of provincies")
    ranking.add_argument("--period", required=True, metavar="CODE", help="periode, bijvoorbeeld 2023JJ00")
    ranking.add_argument("--measure", choices=("share", "rate", "count"), default="share")
    ranking.add_argument("--format", choices=("csv", "json"), default="csv")
    ranking.add_argument("--db")

    figures = sub.add_parser("figures", help="de hoofdcijfers van een link naar een themapagina, zoals de pagina ze toont")
    figures.add_argument("link", metavar="LINK", help="link of pad, bijvoorbeeld '/veiligheid?region=GM0363&period=2023HJ01'")
    figures.add_argument("--format", choices=("text", "json"), default="text")
    figures.add_argument("--db")

    ensure = sub.add_parser("ensure", help="maak een database als er nog geen is (StatLine, anders demo)")
    ensure.add_argument("--db")
    return parser


def describe_progress(event) -> str | None:
    """One Dutch progress line per table stage; None for events not worth a line."""
    if event.stage == "start":
        return f"{event.table_id}: downloaden gestart"
    if event.stage == "data":
        total = f" van {event.total:,}".replace(",", ".") if event.total else ""
        return f"{event.table_id}: {event.rows:,}".replace(",", ".") + f"{total} rijen"
    if event.stage == "retry":
        return f"{event.table_id}: opnieuw proberen ({event.message})"
    if event.stage == "done":
        return f"{event.table_id}: klaar, {event.rows:,} rijen".replace(",", ".")
    return None


def _progress_printer(quiet: bool):
    if quiet:
        return None

    def show(event) -> None:
        line = describe_progress(event)
        if line:
            print(line, file=sys.stderr, flush=True)

    return show


def cmd_refresh(args) -> int:
    from vtdata.storage.refresh import refresh

    tables = [t.strip().upper() for t in args.table] if args.table else None
    if tables:
        unknown = [t for t in tables if t not in TABLES]
        if unknown:
            raise CliError(f"Onbekende tabel {clipped(unknown[0])!r}; bekend zijn: {', '.join(TABLES)}.")
    result = refresh(
        source=args.source, db=args.db, if_stale=args.if_stale, progress=_progress_printer(args.quiet), table_ids=tables
    )
    if result.skipped:
        print(f"Niets te doen: alle tabellen in {result.db} zijn actueel.")
    else:
        print(refresh_summary(result))
        if result.population_missing:
            print(f"Let op: {result.population_missing}", file=sys.stderr)
        for warning in result.warnings:
            print(f"Let op: {warning}", file=sys.stderr)
    return 0


def refresh_summary(result) -> str:
    """One Dutch line on a published refresh; demo tables are made here, not downloaded."""
    count = len(result.downloaded)
    noun = "tabel" if count == 1 else "tabellen"
    kept = f", {len(result.kept)} ongewijzigd overgenomen" if result.kept else ""
    if result.source == "demo":
        what = f"met demonstratiegegevens (geen CBS-cijfers): {count} {noun} aangemaakt"
    else:
        what = f"uit StatLine: {count} {noun} gedownload"
    seconds = f"{result.seconds:.1f}".replace(".", ",")
    return f"Database {result.db} ververst {what}{kept} in {seconds} s (versie {result.version.name})."


def _open(path):
    from vtdata.storage.queries import open_database

    return open_database(path)


def status_document(db) -> dict:
    meta = db.meta()
    tables = db.tables()
    return {
        "database": str(db.path),
        "source": meta.get("source"),
        "demo": db.is_demo,
        "refreshed_at": meta.get("refreshed_at"),
        "statline_url": without_credentials(meta.get("statline_url") or "") or None,
        "tables": [
            {
                "id": row.table_id,
                "title": row.title,
                "rows": int(row.n_rows),
                "modified": row.modified,
                "first_period": row.period_first,
                "last_period": row.period_last,
            }
            for row in tables.itertuples()
        ],
        "population_missing_reason": db.population_status(),
    }


def status_themes(db, as_json: bool) -> int:
    """`status --themes`: per theme the decisions of vtdata.model.theme_report."""
    from vtdata.model.catalog import THEMES
    from vtdata.model.theme_report import report_lines, theme_report

    reports = [theme_report(db, theme) for theme in THEMES]
    if as_json:
        doc = {"database": str(db.path), "demo": db.is_demo, "themes": [r.to_dict() for r in reports]}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print("\n\n".join("\n".join(report_lines(r)) for r in reports))
    return 0


def cmd_status(args) -> int:
    if args.themes:
        return status_themes(_open(args.db), args.json)
    doc = status_document(_open(args.db))
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    source = "DEMO (synthetische gegevens, geen CBS-cijfers)" if doc["demo"] else f"CBS StatLine ({doc['statline_url']})"
    print(f"Database: {doc['database']}\nBron: {source}\nVerverst op: {doc['refreshed_at']}")
    print(f"{'tabel':<10} {'rijen':>8}  {'gewijzigd bij CBS':<20} {'perioden':<19} titel")
    for t in doc["tables"]:
        periods = f"{t['first_period']}–{t['last_period']}"
        print(f"{t['id']:<10} {t['rows']:>8}  {(t['modified'] or '')[:19]:<20} {periods:<19} {t['title']}")
    if doc["population_missing_reason"]:
        from vtdata.model.catalog import POPULATION_TABLE

        print(f"{POPULATION_TABLE.id:<10} {'-':>8}  {'ontbreekt':<20} {'':<19} {doc['population_missing_reason']}")
    return 0


def cmd_export(args) -> int:
    from vtdata.outputs.export import export_frame

    _check_output_folder(Path(args.output) if args.output else None)
    table_id = args.table_id.strip().upper()
    if table_id not in TABLES:
        raise CliError(f"Onbekende tabel {clipped(args.table_id)!r}; bekend zijn: {', '.join(TABLES)}.")
    for period in args.period or []:
        if not is_period_code(period):
            raise CliError(f"Ongeldige periode {clipped(period)!r}; verwacht bijvoorbeeld 2023HJ01, 2023HJ02 of 2023JJ00.")
    db = _open(args.db)
    if table_id not in set(db.tables()["table_id"]):
        raise CliError(f"Tabel {table_id} zit niet in de database {db.path.name}; ververs eerst.")
    held_regions = set(db.categories(table_id, "RegioS")["key"])
    for region in args.region or []:
        if region.strip().upper() not in held_regions:
            raise CliError(f"Regio {clipped(region)!r} komt niet voor in tabel {table_id}.")
    held_periods = set(db.categories(table_id, "Perioden")["key"])
    for period in args.period or []:
        if period not in held_periods:
            raise CliError(f"Periode {period} komt niet voor in tabel {table_id}.")
    regions = [r.strip().upper() for r in args.region] if args.region else None
    frame = export_frame(db, table_id, regions=regions, periods=args.period)
    if db.is_demo:
        print("Let op: demonstratiegegevens, geen echte CBS-cijfers.", file=sys.stderr)
    text = frame.to_csv(index=False) if args.format == "csv" else frame.to_json(orient="records", force_ascii=False, indent=1)
    if args.output:
        _write_atomically(Path(args.output), text)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


_WRITE_ERRORS = {errno.EACCES: "geen schrijfrechten", errno.EPERM: "geen schrijfrechten",
                 errno.EROFS: "alleen-lezen", errno.EISDIR: "dat is een map", errno.ENOSPC: "de schijf is vol"}


def _check_output_folder(path: Path | None) -> None:
    """Before any work: the folder of --output must exist."""
    if path is not None and not path.parent.is_dir():
        raise CliError(f"De map {path.parent} bestaat niet; maak die eerst of kies een ander pad voor --output.")


def _write_atomically(path: Path, content: str | bytes) -> None:
    """Write via a temporary file beside `path`; a failure is one Dutch line naming `path` only."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        if isinstance(content, bytes):
            tmp.write_bytes(content)
        else:
            tmp.write_text(content, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CliError(f"Kan {path} niet schrijven: {_WRITE_ERRORS.get(exc.errno, 'schrijven mislukt')}.") from None


def cmd_profile(args) -> int:
    from vtdata.outputs.profile import ProfileError, build_profile, profile_html
    from vtdata.outputs.profile_pdf import profile_pdf

    output = Path(args.output) if args.output else None
    kind = output.suffix.lower() if output else ".html"
    if kind not in (".html", ".htm", ".pdf"):
        raise CliError(f"Onbekende extensie {clipped(kind or '(geen)')!r} voor --output; gebruik .html of .pdf.")
    _check_output_folder(output)
    if args.period and not is_period_code(args.period):
        raise CliError(f"Ongeldige periode {clipped(args.period)!r}; verwacht bijvoorbeeld 2023HJ01, 2023HJ02 of 2023JJ00.")
    try:
        profile = build_profile(_open(args.db), args.region, args.period)
    except ProfileError as exc:
        raise CliError(str(exc)) from exc
    content = profile_pdf(profile) if kind == ".pdf" else profile_html(profile)
    if profile.demo:
        print("Let op: demonstratiegegevens, geen echte CBS-cijfers.", file=sys.stderr)
    if output:
        _write_atomically(output, content)
        print(f"Regioprofiel {profile.name}, {profile.period_label} geschreven naar {output}.", file=sys.stderr)
    else:
        sys.stdout.write(content)
    return 0


def cmd_metadata(args) -> int:
    """`metadata --output DIR`: what StatLine says about the tables' structure, as a test fixture."""
    from vtdata.source import statline
    from vtdata.source.metadata import write_metadata
    from vtdata.storage.refresh import statline_url

    tables = [t.strip().upper() for t in args.table] if args.table else list(TABLES)
    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        raise CliError(f"Onbekende tabel {unknown[0]!r}; bekend zijn: {', '.join(TABLES)}.")
    output = Path(args.output)
    if output.exists() and not output.is_dir():
        raise CliError(f"{output} is geen map.")
    statline.configure(statline_url())
    retries = os.environ.get("VTDATA_STATLINE_RETRIES", "")
    metadata = statline.fetch_metadata(tables, **({"retries": int(retries)} if retries.isdigit() else {}))
    written = write_metadata(output, metadata)
    print(f"Metadata van {len(written)} tabellen geschreven naar {output}.")
    return 0


def cmd_ranking(args) -> int:
    from vtdata.figures.ranking_rows import RankingError, ranking_frame, ranking_rows

    db = _open(args.db)
    try:
        nederland, rows = ranking_rows(db, args.theme, args.category, args.level, args.period, args.measure)
    except RankingError as exc:
        raise CliError(str(exc)) from exc
    if db.is_demo:
        print("Let op: demonstratiegegevens, geen echte CBS-cijfers.", file=sys.stderr)
    if args.format == "json":
        print(json.dumps({"nederland": nederland, "rows": rows}, ensure_ascii=False, indent=1))
    else:
        sys.stdout.write(ranking_frame(nederland, rows).to_csv(index=False))
    return 0


def cmd_figures(args) -> int:
    from urllib.parse import parse_qsl, urlsplit

    from vtdata.figures.view_figures import FiguresError, figures, link_lookups
    from vtdata.model.view import REPEATED_NOTE, REPLACED, View

    db = _open(args.db)
    link = urlsplit(args.link.strip())
    view, notes = View.from_query(link.path.strip("/"), parse_qsl(link.query, keep_blank_values=True), link_lookups(db))
    for note in notes:
        if note.status in (REPLACED, REPEATED_NOTE):
            print(f"Let op: {note.why}", file=sys.stderr)
    try:
        found = figures(db, view)
    except FiguresError as exc:
        raise CliError(str(exc)) from exc
    if db.is_demo:
        print("Let op: demonstratiegegevens, geen echte CBS-cijfers.", file=sys.stderr)
    columns = ["item", "item_title", "role", "region", "region_name", "period", "value", "value_label", "suppressed",
               "absent", "provisional", "share_label", "rate_label", "rate_basis", "before_period", "change_label"]
    rows = found.rows[columns].astype(object).where(found.rows[columns].notna(), None).to_dict("records")
    if args.format == "json":
        doc = {"page": view.page, "region": view.region, "period": view.period, "table": found.spec.table_id,
               "category": found.category, "rows": rows}
        print(json.dumps(doc, ensure_ascii=False, indent=1))
        return 0
    for row in rows:
        known = not (row["suppressed"] or row["absent"])
        extra = [t for t in (row["share_label"], row["rate_label"] and f"{row['rate_label']} {row['rate_basis']}") if t and known]
        change = f"; t.o.v. een jaar eerder {row['change_label']}" if row["change_label"] else ""
        shown = row["value_label"] + (f" ({', '.join(extra)})" if extra else "")
        print(f"{row['region_name']} · {row['item_title']}: {shown}{change}")
    return 0


def cmd_ensure(args) -> int:
    from vtdata.storage.bootstrap import ensure_database

    db = store.db_path(args.db)
    if os.path.lexists(db) and not store.is_published_link(db):
        _open(db)  # something put there by hand: an unreadable one fails here with its own line
        print(f"Let op: {db} is geen door vtdata gepubliceerde database; de app leest die, "
              "maar verversen vervangt die niet.", file=sys.stderr)  # fmt: skip
        return 0
    message = ensure_database(args.db)
    if message:
        print(message)
    return 0


COMMANDS = {
    "refresh": cmd_refresh, "status": cmd_status, "export": cmd_export, "ensure": cmd_ensure, "profile": cmd_profile,
    "metadata": cmd_metadata, "ranking": cmd_ranking, "figures": cmd_figures,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _terminated.clear()
    previous = _handle_sigterm()
    try:
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except BrokenPipeError:
        return _closed_pipe()
    except Terminated:
        _stop_now(TERMINATED_LINE, EXIT_TERMINATED)
    except KeyboardInterrupt:
        _stop_now("Afgebroken; de gepubliceerde database is ongewijzigd.", EXIT_INTERRUPTED)
    except CliError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # the last line of defence: one line, no traceback
        if _terminated.is_set():  # SIGTERM during a DuckDB query surfaces as its RuntimeError
            _stop_now(TERMINATED_LINE, EXIT_TERMINATED)
        print(f"Fout: {_one_line(exc)}", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _stop_now(line: str, code: int) -> NoReturn:
    """Say `line` and end the process at once, as a signal asked. The refresh has cleaned up by
    now; the interpreter's own teardown is skipped: a thread DuckDB still had in C++ code when
    the interpreter shut down aborted the process ("FATAL: exception not rethrown", exit -6)
    after the line was printed, once in a full test run."""
    print(line, file=sys.stderr)
    with contextlib.suppress(OSError, ValueError):  # a closed pipe: the exit code still tells
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def _handle_sigterm():
    """Turn SIGTERM into `Terminated` (main thread only); returns the previous handler."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _raise_terminated)


def _closed_pipe() -> int:
    """The reader of our output went away (`status | head -2`): end quietly.

    What is still buffered for stdout goes to /dev/null, so Python's final flush
    does not complain either. Exit 0: the reader had all it wanted.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is no real file (e.g. captured in a test)
        pass
    return 0


def _one_line(exc: BaseException) -> str:
    """Our own errors carry a Dutch sentence; anything else is named plainly."""
    text = str(exc)
    if isinstance(exc, OSError) and exc.errno == 28 or "No space left" in text:
        text = "de schijf is vol; de gepubliceerde database is ongewijzigd"
    elif type(exc).__module__.split(".")[0] != "vtdata" or not text:
        text = f"{type(exc).__name__}: {text}"
    return " ".join(without_credentials(text).split())
