"""A fake CBS StatLine OData v3 server for tests, the benchmark and offline development.

It serves `TableSnapshot`s the way StatLine does, so the real cbsodata client can
download from it:

- ``/ODataFeed/odata/{id}/`` (and ``/ODataApi/odata/{id}/``): the service document
  listing every entity set, incl. ``TypedDataSet`` and ``UntypedDataSet``;
- ``/ODataFeed/odata/{id}/{EntitySet}?$format=json[&$filter=..][&$select=..]``;
  the data sets come in pages with an absolute ``odata.nextLink`` carrying ``$skip``;
- ``/ODataCatalog/Tables``: a minimal catalogue built from the TableInfos.

Tests use it as a context manager::

    with FakeStatLine(snapshots, page_size=100) as server:
        server.inject("TypedDataSet", "http500", times=1)
        statline.configure(server.url)
        ...
        assert server.requests[-1].entity == "TypedDataSet"

Developers can run it as a script and point ``VTDATA_STATLINE_URL`` at it::

    python -m tests.fake_statline --port 8765 --demo
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from vtdata.source.snapshot import TYPED_DATA_SET, UNTYPED_DATA_SET, TableSnapshot

DATA_SETS = (TYPED_DATA_SET, UNTYPED_DATA_SET)
INJECTION_KINDS = ("http500", "http503", "http429", "http404", "drop", "malformed", "truncated", "slow", "trickle")
_ODATA_PREFIXES = ("ODataFeed/odata", "ODataApi/odata")


class ODataError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# --------------------------------------------------------------------------- $filter


_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<punct>[(),])|(?P<word>[A-Za-z_][A-Za-z0-9_]*))"
)
_COMPARE = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a is not None and a > b,
    "ge": lambda a, b: a is not None and a >= b,
    "lt": lambda a, b: a is not None and a < b,
    "le": lambda a, b: a is not None and a <= b,
}


def _tokenize(text: str) -> list[tuple[str, object]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ODataError(400, f"Syntax error at position {pos} in '{text}'.")
        pos = m.end()
        if m.group("str") is not None:
            tokens.append(("str", m.group("str")[1:-1].replace("''", "'")))
        elif m.group("num") is not None:
            num = m.group("num")
            tokens.append(("num", float(num) if "." in num else int(num)))
        elif m.group("punct") is not None:
            tokens.append((m.group("punct"), m.group("punct")))
        else:
            tokens.append(("word", m.group("word")))
    return tokens


def parse_filter(text: str):
    """Compile an OData v3 ``$filter`` into a predicate on a row.

    Supports what StatLine clients use: ``Field eq 'x'`` (and ne/gt/ge/lt/le),
    ``and``/``or``/``not``, parentheses, ``substringof('x', Field)`` and
    ``startswith(Field, 'x')``.
    """
    tokens = _tokenize(text)
    pos = 0

    def peek(kind=None, value=None):
        if pos >= len(tokens):
            return False
        k, v = tokens[pos]
        return (kind is None or k == kind) and (value is None or (isinstance(v, str) and v.lower() == value))

    def take(kind=None, value=None):
        nonlocal pos
        if not peek(kind, value):
            got = tokens[pos][1] if pos < len(tokens) else "end of filter"
            raise ODataError(400, f"Syntax error in '$filter': expected {value or kind}, got '{got}'.")
        pos += 1
        return tokens[pos - 1][1]

    def literal():
        if peek("str") or peek("num"):
            return take()
        if peek("word", "null"):
            take()
            return None
        raise ODataError(400, "Syntax error in '$filter': expected a literal.")

    def expr():
        left = term()
        while peek("word", "or"):
            take()
            right = term()
            left = (lambda a, b: lambda r: a(r) or b(r))(left, right)
        return left

    def term():
        left = factor()
        while peek("word", "and"):
            take()
            right = factor()
            left = (lambda a, b: lambda r: a(r) and b(r))(left, right)
        return left

    def factor():
        if peek("("):
            take("(")
            inner = expr()
            take(")")
            return inner
        if peek("word", "not"):
            take()
            inner = factor()
            return lambda r: not inner(r)
        if peek("word", "substringof"):
            take()
            take("(")
            needle = literal()
            take(",")
            fld = take("word")
            take(")")
            return lambda r: isinstance(r.get(fld), str) and str(needle) in r[fld]
        if peek("word", "startswith"):
            take()
            take("(")
            fld = take("word")
            take(",")
            prefix = literal()
            take(")")
            return lambda r: isinstance(r.get(fld), str) and r[fld].startswith(str(prefix))
        fld = take("word")
        op = str(take("word")).lower()
        if op not in _COMPARE:
            raise ODataError(400, f"Unsupported operator '{op}' in '$filter'.")
        value = literal()
        compare = _COMPARE[op]
        return lambda r: compare(r.get(fld), value)

    predicate = expr()
    if pos != len(tokens):
        raise ODataError(400, f"Syntax error in '$filter': unexpected '{tokens[pos][1]}'.")
    return predicate


_EQ = re.compile(r"\s*\(?\s*([A-Za-z_][A-Za-z0-9_]*)\s+eq\s+'((?:[^']|'')*)'\s*\)?\s*")


def _as_membership(text: str) -> tuple[str, set[str]] | None:
    """("Perioden", {"2023HJ01", ...}) when the filter is only equalities on one field joined by or."""
    fields, values = set(), set()
    for clause in re.split(r"\s+or\s+", text.strip()):
        m = _EQ.fullmatch(clause)
        if not m or clause.count("(") != clause.count(")"):
            return None
        fields.add(m.group(1))
        values.add(m.group(2).replace("''", "'"))
    return (fields.pop(), values) if len(fields) == 1 else None


# --------------------------------------------------------------------------- data shapes


def untyped_rows(snapshot: TableSnapshot) -> list[dict]:
    """The UntypedDataSet StatLine derives from the typed one: right-aligned strings, "." when suppressed."""
    topics = [p for p in snapshot.data_properties if p["Type"] == "Topic"]

    def fmt(topic: dict, value) -> str:
        if value is None:
            return "."
        decimals = int(topic.get("Decimals") or 0)
        if topic.get("Datatype") == "Double" or decimals:
            return f"{float(value):.{decimals}f}"
        return str(int(value))

    formatted = {t["Key"]: [fmt(t, row.get(t["Key"])) for row in snapshot.rows] for t in topics}
    widths = {k: max([8, *map(len, values)]) for k, values in formatted.items()}
    out = []
    for i, row in enumerate(snapshot.rows):
        new = dict(row)
        for key, values in formatted.items():
            new[key] = values[i].rjust(widths[key])
        out.append(new)
    return out


def catalog_row(snapshot: TableSnapshot) -> dict:
    info = snapshot.info
    return {
        "Updated": info.get("Modified"),
        "ID": info.get("ID"),
        "Identifier": snapshot.table_id,
        "Title": info.get("Title"),
        "ShortTitle": info.get("ShortTitle"),
        "ShortDescription": info.get("ShortDescription"),
        "Summary": info.get("Summary"),
        "Modified": info.get("Modified"),
        "MetaDataModified": info.get("MetaDataModified"),
        "ReasonDelivery": info.get("ReasonDelivery"),
        "Frequency": info.get("Frequency"),
        "Period": info.get("Period"),
        "RecordCount": len(snapshot.rows),
        "ColumnCount": len(snapshot.rows[0]) if snapshot.rows else 0,
        "Language": info.get("Language", "nl"),
        "Catalog": info.get("Catalog", "CBS"),
        "ApiUrl": f"/ODataApi/odata/{snapshot.table_id}",
        "FeedUrl": f"/ODataFeed/odata/{snapshot.table_id}",
    }


# --------------------------------------------------------------------------- server


@dataclass
class FakeRequest:
    """One request the fake server received (for assertions in tests)."""

    path: str  # path without the query, e.g. /ODataFeed/odata/84847NED/TypedDataSet
    query: dict[str, str]  # decoded query parameters, e.g. {"$format": "json", "$skip": "10000"}
    table_id: str | None
    entity: str | None  # "" for the service document
    injected: str | None = None  # the failure kind injected into this request, if any
    status: int | None = None
    at: float = field(default_factory=time.monotonic)
    authorization: str | None = None  # the Authorization header, e.g. from user info in the URL

    @property
    def target(self) -> str:
        """Path and decoded query, e.g. /ODataFeed/odata/X/TypedDataSet?$format=json&$skip=10"""
        return self.path + ("?" + "&".join(f"{k}={v}" for k, v in self.query.items()) if self.query else "")


@dataclass
class _Injection:
    match: str
    kind: str
    times: int | None
    delay: float


class FakeStatLine:
    """A threaded StatLine OData v3 server on 127.0.0.1 serving the given snapshots."""

    def __init__(
        self,
        snapshots: list[TableSnapshot] = (),
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        page_size: int = 10_000,
        latency: float = 0.0,
        gzip: bool = False,
    ):
        self.tables: dict[str, TableSnapshot] = {s.table_id: s for s in snapshots}
        self.page_size = page_size
        self.latency = latency  # seconds added to every response (network + CBS)
        self.gzip = gzip
        self.requests: list[FakeRequest] = []
        self._host, self._port = host, port
        self._lock = threading.Lock()
        self._injections: list[_Injection] = []
        self._cache: OrderedDict = OrderedDict()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("FakeStatLine is not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeStatLine:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = ThreadingHTTPServer((self._host, self._port), handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._stopping.clear()
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> FakeStatLine:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def serve_forever(self) -> None:
        """Block until interrupted (for the script)."""
        self.start()
        try:
            while True:
                time.sleep(3600)
        finally:
            self.stop()

    # -- test helpers

    def set_table(self, snapshot: TableSnapshot) -> None:
        """Add or replace a table (e.g. with a newer TableInfos.Modified)."""
        with self._lock:
            self.tables[snapshot.table_id] = snapshot
            self._cache.clear()

    def inject(self, match: str, kind: str, times: int | None = 1, *, delay: float = 2.0) -> None:
        """Let the next `times` requests whose path+query contains `match` fail with `kind`.

        Kinds: ``http500``, ``http503``, ``http429``, ``http404``, any ``http<code>``;
        ``drop`` (close the connection without answering); ``malformed`` (200 with
        invalid JSON); ``truncated`` (Content-Length larger than the body sent);
        ``slow`` (sleep `delay` seconds, then answer normally); ``trickle`` (send the
        answer one byte every `delay` seconds, so no single read times out; it ends
        when the body is sent or the server stops). ``times=None``: always.
        """
        if kind not in INJECTION_KINDS and not re.fullmatch(r"http\d{3}", kind):
            raise ValueError(f"unknown failure kind {kind!r}")
        with self._lock:
            self._injections.append(_Injection(match, kind, times, delay))

    def clear_injections(self) -> None:
        with self._lock:
            self._injections.clear()

    def requests_for(self, entity: str | None = None, table_id: str | None = None) -> list[FakeRequest]:
        with self._lock:
            return [
                r
                for r in self.requests
                if (entity is None or r.entity == entity) and (table_id is None or r.table_id == table_id)
            ]

    def _take_injection(self, target: str) -> _Injection | None:
        with self._lock:
            for inj in self._injections:
                if inj.match in target and (inj.times is None or inj.times > 0):
                    if inj.times is not None:
                        inj.times -= 1
                    return inj
        return None

    def _log(self, record: FakeRequest) -> None:
        with self._lock:
            self.requests.append(record)

    # -- resources

    def _rows(self, snapshot: TableSnapshot, entity: str, flt: str | None, select: str | None) -> list[dict]:
        key = (snapshot.table_id, id(snapshot), entity, flt, select)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        if entity == UNTYPED_DATA_SET:
            rows = self._untyped(snapshot)
        else:
            rows = snapshot.entities[entity]
        if flt:
            in_set = _as_membership(flt)
            if in_set:  # fast path for "Field eq 'a' or Field eq 'b' ...", what parallel parts send
                fld, values = in_set
                rows = [r for r in rows if r.get(fld) in values]
            else:
                predicate = parse_filter(flt)
                rows = [r for r in rows if predicate(r)]
        if select:
            fields = [f.strip() for f in select.split(",") if f.strip()]
            known = set(rows[0]) if rows else set(fields)
            unknown = [f for f in fields if f not in known]
            if unknown:
                raise ODataError(400, f"Could not find a property named '{unknown[0]}' on type '{entity}'.")
            rows = [{f: r.get(f) for f in fields} for r in rows]
        with self._lock:
            self._cache[key] = rows
            while len(self._cache) > 64:
                self._cache.popitem(last=False)
        return rows

    def _untyped(self, snapshot: TableSnapshot) -> list[dict]:
        key = (snapshot.table_id, id(snapshot), "__untyped__")
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        rows = untyped_rows(snapshot)
        with self._lock:
            self._cache[key] = rows
        return rows

    def _entity_names(self, snapshot: TableSnapshot) -> list[str]:
        # StatLine order: TableInfos, UntypedDataSet, TypedDataSet, DataProperties, CategoryGroups, dimensions.
        names = [n for n in snapshot.entity_set_names() if n not in DATA_SETS]
        first = names[:1] if names[:1] == ["TableInfos"] else []
        return first + [UNTYPED_DATA_SET, TYPED_DATA_SET] + names[len(first) :]

    def respond(self, base: str, path: str, query: dict[str, str]) -> dict:
        """The JSON document for a GET of `path` (raises ODataError)."""
        parts = [p for p in path.split("/") if p]
        if len(parts) >= 2 and parts[0] == "ODataCatalog" and parts[1] == "Tables":
            rows = [catalog_row(s) for s in self.tables.values()]
            if query.get("$filter"):
                predicate = parse_filter(query["$filter"])
                rows = [r for r in rows if predicate(r)]
            if query.get("$select"):
                fields = [f.strip() for f in query["$select"].split(",")]
                rows = [{f: r.get(f) for f in fields} for r in rows]
            return {"odata.metadata": f"{base}/ODataCatalog/$metadata#Tables", "value": rows}
        prefix = "/".join(parts[:2])
        if prefix not in _ODATA_PREFIXES or len(parts) < 3:
            raise ODataError(404, f"No HTTP resource was found that matches the request URI '{base}{path}'.")
        table_id, rest = parts[2], parts[3:]
        snapshot = self.tables.get(table_id)
        root = f"{base}/{prefix}/{table_id}"
        if snapshot is None:
            raise ODataError(404, f"Table '{table_id}' does not exist.")
        if not rest:
            return {
                "odata.metadata": f"{root}/$metadata",
                "value": [{"name": n, "url": f"{root}/{n}"} for n in self._entity_names(snapshot)],
            }
        if len(rest) > 1:
            raise ODataError(404, f"Resource not found for the segment '{rest[1]}'.")
        entity = rest[0]
        if entity not in snapshot.entities and entity != UNTYPED_DATA_SET:
            raise ODataError(404, f"Resource not found for the segment '{entity}'.")
        rows = self._rows(snapshot, entity, query.get("$filter"), query.get("$select"))
        doc: dict = {"odata.metadata": f"{root}/$metadata#Cbs.OData.WebAPI.{entity}"}
        if entity in DATA_SETS:
            try:
                skip = int(query.get("$skip", 0))
                top = int(query["$top"]) if "$top" in query else None
            except ValueError:
                raise ODataError(400, "Invalid $skip or $top.") from None
            if query.get("$inlinecount") == "allpages":
                doc["odata.count"] = str(len(rows))
            limit = self.page_size if top is None else min(top, self.page_size)
            page = rows[skip : skip + limit]
            doc["value"] = page
            end = skip + len(page)
            if end < len(rows) and (top is None or end - skip < top):
                nxt = {k: v for k, v in query.items() if k not in ("$skip", "$top")}
                nxt.setdefault("$format", "json")
                nxt["$skip"] = str(end)
                if top is not None:
                    nxt["$top"] = str(top - len(page))
                doc["odata.nextLink"] = f"{root}/{entity}?" + urlencode(nxt, quote_via=quote, safe="$'(),")
        else:
            doc["value"] = rows
        return doc


class _Handler(BaseHTTPRequestHandler):
    fake: FakeStatLine
    protocol_version = "HTTP/1.1"
    server_version = "FakeStatLine/1.0"

    def log_message(self, fmt, *args):  # quiet
        pass

    def do_GET(self):  # noqa: N802
        fake = self.fake
        split = urlsplit(self.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        parts = [p for p in split.path.split("/") if p]
        table_id = parts[2] if len(parts) >= 3 and "/".join(parts[:2]) in _ODATA_PREFIXES else None
        entity = (parts[3] if len(parts) >= 4 else "") if table_id else None
        record = FakeRequest(split.path, query, table_id, entity, authorization=self.headers.get("Authorization"))
        fake._log(record)
        injection = fake._take_injection(unquote(self.path))
        record.injected = injection.kind if injection else None

        if fake.latency:
            fake._stopping.wait(fake.latency)
        if injection and injection.kind == "drop":
            self._drop()
            return
        if injection and injection.kind == "slow":
            if fake._stopping.wait(injection.delay):
                self._drop()
                return
        if injection and injection.kind.startswith("http"):
            status = int(injection.kind[4:])
            headers = {"Retry-After": "0"} if status == 429 else {}
            self._send_json(status, _error_doc(f"Injected HTTP {status}."), headers, record)
            return

        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        base = f"http://{host}"
        try:
            doc = fake.respond(base, split.path, query)
            status = 200
        except ODataError as err:
            doc, status = _error_doc(err.message), err.status
        body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if injection and injection.kind == "malformed":
            body = body[: max(1, len(body) // 2)]
        if injection and injection.kind == "truncated":
            self._send_raw(status, body, {}, record, send_bytes=max(1, len(body) // 2))
            return
        if injection and injection.kind == "trickle":
            self._trickle(status, body, injection.delay, record)
            return
        self._send_raw(status, body, {}, record)

    def _send_json(self, status, doc, headers, record):
        body = json.dumps(doc).encode("utf-8")
        self._send_raw(status, body, headers, record)

    def _send_raw(self, status, body, headers, record, send_bytes=None):
        record.status = status
        encoding = None
        if self.fake.gzip and send_bytes is None and "gzip" in self.headers.get("Accept-Encoding", ""):
            import gzip

            body, encoding = gzip.compress(body, compresslevel=1), "gzip"
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json;odata=minimalmetadata;streaming=true;charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            if encoding:
                self.send_header("Content-Encoding", encoding)
            self.send_header("DataServiceVersion", "3.0;")
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body if send_bytes is None else body[:send_bytes])
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True
        if send_bytes is not None:
            self._drop()

    def _trickle(self, status, body, delay, record):
        """Headers at once, then the body byte by byte, `delay` seconds apart."""
        record.status = status
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json;odata=minimalmetadata;streaming=true;charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.flush()
            for i in range(len(body)):
                if self.fake._stopping.wait(delay):
                    break
                self.wfile.write(body[i : i + 1])
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self._drop()

    def _drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _error_doc(message: str) -> dict:
    return {"odata.error": {"code": "", "message": {"lang": "en-US", "value": message}}}


# --------------------------------------------------------------------------- script


def _demo_snapshots() -> list[TableSnapshot]:
    try:
        from vtdata.source.demo import build_demo_snapshots
    except ImportError:
        from tests.statline_samples import sample_snapshots

        print("vtdata.source.demo is not available; serving the small test samples", file=sys.stderr)
        return sample_snapshots()
    from vtdata.source.demo.population import build_demo_population

    return [*build_demo_snapshots(), build_demo_population()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fake CBS StatLine OData v3 server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--demo", action="store_true", help="serve the demo data set (vtdata.source.demo)")
    parser.add_argument("--sized", type=int, metavar="CELLS", help="serve one sized table (84851NED) with CELLS cells")
    parser.add_argument("--page-size", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every response")
    parser.add_argument("--gzip", action="store_true", help="gzip responses like StatLine does")
    args = parser.parse_args(argv)

    from tests.statline_samples import sample_snapshots, sized_snapshot

    if args.sized:
        snapshots = [sized_snapshot(cells=args.sized)]
    elif args.demo:
        snapshots = _demo_snapshots()
    else:
        snapshots = sample_snapshots()
    server = FakeStatLine(
        snapshots, host=args.host, port=args.port, page_size=args.page_size, latency=args.latency, gzip=args.gzip
    )
    server.start()
    print(f"Serving {len(snapshots)} tables on {server.url}", flush=True)
    print(f"  VTDATA_STATLINE_URL={server.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
