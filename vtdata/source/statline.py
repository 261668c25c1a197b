"""Download StatLine tables as `TableSnapshot`s with cbsodata.

The base of the service comes from ``VTDATA_STATLINE_URL`` (default
``https://opendata.cbs.nl``); tests point it at the fake server in
``tests/fake_statline.py``.

How cbsodata is used, and why:

- Every entity set is one call: ``cbsodata.get_meta(table_id, name)`` for the
  service document (``name=""``) and the metadata sets, and cbsodata's
  ``_download_metadata(table_id, "TypedDataSet", filters=...)`` for (parts of) the
  data. One call per entity set gives a clean unit to retry: cbsodata has no
  retry of its own and follows ``odata.nextLink`` inside the call, so a failure on
  page 40 of a data set restarts that call; splitting a large data set into parts
  (one ``$filter`` on a group of periods each) keeps such a restart small and lets
  the parts download in parallel.
- ``download_data``/``get_data`` are not used: they re-download every metadata set
  for each filtered part, ``get_data`` replaces codes by titles, and in cbsodata
  1.3.5 ``typed=True`` downloads the *Untyped* data set (the flag is inverted).
- cbsodata passes extra keyword arguments to ``Session.send``; we pass ``timeout``
  and the proxies for the configured URL with every call.

All failures surface as `StatLineError` with one Dutch line that names the table
and the cause. Downloads run in daemon threads that stop at the next request or
back-off when the run is cancelled, so Ctrl-C (KeyboardInterrupt in the calling
thread) and the first failure of a parallel download return promptly.
"""

from __future__ import annotations

import math
import operator
import os
import queue
import random
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import unquote, urlsplit

import cbsodata
import requests
from cbsodata import cbsodata3

from vtdata.source.identifiers import SAFE_KEY_TEXT, unsafe_keys
from vtdata.source.response_cap import MAX_RESPONSE_ENV, BadCapSetting, CappedSession, ResponseTooLarge, max_response_mb
from vtdata.source.snapshot import DATA_PROPERTIES, DIMENSION_TYPES, TABLE_INFOS, TYPED_DATA_SET, UNTYPED_DATA_SET, TableSnapshot
from vtdata.source.urls import with_encoded_userinfo, without_credentials

# cbsodata makes a Session per request: ours reads each answer with a size cap.
cbsodata3.Session = CappedSession

DEFAULT_URL = "https://opendata.cbs.nl"
ENV_URL = "VTDATA_STATLINE_URL"

DEFAULT_TIMEOUT: tuple[float, float] = (10.0, 120.0)  # (connect, read) seconds per request
DEFAULT_RETRIES = 3  # retries after the first attempt
DEFAULT_BACKOFF = 1.0  # seconds before the first retry; doubles each time, with jitter
MAX_BACKOFF = 30.0
DEFAULT_PAGE_ROWS = 10_000  # rows per StatLine page; used to plan the parts of a TypedDataSet
DEFAULT_PART_WORKERS = 4  # parallel requests within one table
DEFAULT_MAX_CONNECTIONS = 8  # parallel requests in one download run, in all


class StatLineError(RuntimeError):
    """A download from StatLine failed; `str(err)` is one line in Dutch for the user."""

    def __init__(self, message: str, *, table_id: str | None = None, status: int | None = None, attempts: int = 1):
        super().__init__(" ".join(without_credentials(message).split()))
        self.table_id = table_id
        self.status = status
        self.attempts = attempts


@dataclass(frozen=True)
class DownloadProgress:
    """One progress event of a download, for a per-table progress display.

    stage: ``start``, ``metadata`` (an entity set arrived), ``data`` (a part of the
    TypedDataSet arrived; `rows` so far of `total`), ``retry`` (`message` says why),
    ``done``. Events of one run never arrive concurrently, but they may come from
    worker threads.
    """

    table_id: str
    stage: str
    entity: str | None = None
    rows: int = 0
    total: int | None = None
    message: str = ""


ProgressCallback = Callable[[DownloadProgress], None]


# --------------------------------------------------------------------------- configuration

_config_lock = threading.Lock()
_configured_url: str | None = None


def configure(base_url: str | None = None) -> str:
    """Point cbsodata at `base_url` (default: ``VTDATA_STATLINE_URL`` or StatLine itself).

    Sets cbsodata's module-global ``options.use_https`` and ``options.catalog_url``,
    and ``options.requests["proxies"]`` from the current environment (cbsodata reads
    it only at import, and does not honour ``no_proxy``). Returns the normalised URL,
    e.g. ``http://127.0.0.1:8765``.
    """
    global _configured_url
    raw = (base_url if base_url is not None else os.environ.get(ENV_URL, "")).strip() or DEFAULT_URL
    text = with_encoded_userinfo(raw if "://" in raw else "https://" + raw)  # any password character
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        shown = without_credentials(raw)
        raise StatLineError(f"Ongeldig StatLine-adres {shown!r}: verwacht bijvoorbeeld {DEFAULT_URL} of http://127.0.0.1:8765")
    catalog_url = parts.netloc + parts.path.rstrip("/")
    url = f"{parts.scheme}://{catalog_url}"
    with _config_lock:
        # the next pages (odata.nextLink) come without user info: the session adds it (response_cap)
        CappedSession.credentials = (
            {f"{parts.hostname}:{parts.port or ''}": (unquote(parts.username or ""), unquote(parts.password or ""))}
            if parts.username else {}
        )
        cbsodata.options.use_https = parts.scheme == "https"
        cbsodata.options.catalog_url = catalog_url
        cbsodata.options.requests["proxies"] = dict(requests.utils.get_environ_proxies(url))
        _configured_url = url
    return url


def current_url() -> str:
    """The configured base URL (configures from the environment on first use)."""
    return _configured_url or configure()


def _resolve_url(base_url: str | None) -> str:
    if base_url is not None:
        return configure(base_url)
    return current_url()


# --------------------------------------------------------------------------- a download run


class _Cancelled(Exception):
    """Internal: the run was cancelled (another part failed, or Ctrl-C)."""


@dataclass
class _Run:
    base_url: str
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    max_backoff: float = MAX_BACKOFF
    progress: ProgressCallback | None = None
    page_rows: int = DEFAULT_PAGE_ROWS
    part_workers: int = DEFAULT_PART_WORKERS
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    table_deadline: float | None = None  # seconds for one table, all its requests together
    deadline: float | None = None  # seconds for the whole run
    cancel: threading.Event = field(default_factory=threading.Event)
    first_error: BaseException | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _emit_lock: threading.Lock = field(default_factory=threading.Lock)
    _slots: threading.BoundedSemaphore | None = None

    def __post_init__(self):
        self._slots = threading.BoundedSemaphore(max(1, self.max_connections))
        self.catalog_url = self.base_url.split("://", 1)[1]
        self.ends_at = time.monotonic() + self.deadline if self.deadline else None

    @property
    def read_timeout(self) -> float:
        return self.timeout[1] if isinstance(self.timeout, tuple) else self.timeout

    def fail(self, exc: BaseException) -> None:
        with self._lock:
            if self.first_error is None and not isinstance(exc, _Cancelled):
                self.first_error = exc
        self.cancel.set()

    def check(self) -> None:
        if self.cancel.is_set():
            raise _Cancelled()

    def error(self, fallback: BaseException | None = None) -> BaseException:
        return self.first_error or fallback or _Cancelled()

    def emit(self, event: DownloadProgress) -> None:
        if self.progress is not None:
            with self._emit_lock:
                self.progress(event)

    @contextmanager
    def slot(self):
        while not self._slots.acquire(timeout=0.1):
            self.check()
        try:
            yield
        finally:
            self._slots.release()

    def kwargs(self) -> dict:
        return {"catalog_url": self.catalog_url, "timeout": self.timeout}


def _parallel(run: _Run, fn: Callable, items: Sequence, workers: int) -> list:
    """fn(item) for every item on up to `workers` daemon threads, results in order.

    The first failure cancels the run and is raised at once; the other threads stop
    at their next request. KeyboardInterrupt in the waiting thread cancels too.
    """
    items = list(items)
    if workers <= 1 or len(items) <= 1:
        return [fn(item) for item in items]
    results: list = [None] * len(items)
    todo: queue.SimpleQueue = queue.SimpleQueue()
    for pair in enumerate(items):
        todo.put(pair)
    done: queue.SimpleQueue = queue.SimpleQueue()

    def worker():
        while not run.cancel.is_set():
            try:
                i, item = todo.get_nowait()
            except queue.Empty:
                return
            try:
                results[i] = fn(item)
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
                run.fail(exc)
                done.put(exc)
                return
            done.put(None)

    for n in range(min(workers, len(items))):
        threading.Thread(target=worker, name=f"vtdata-statline-{n}", daemon=True).start()
    remaining = len(items)
    try:
        while remaining:
            try:
                exc = done.get(timeout=0.1)
            except queue.Empty:
                if run.cancel.is_set():
                    raise run.error() from None
                continue
            if exc is not None:
                raise run.error(exc)
            remaining -= 1
    except KeyboardInterrupt:
        run.cancel.set()
        raise
    return results


# --------------------------------------------------------------------------- one request, retried


def _status_of(err: requests.HTTPError) -> int | None:
    for e in (err, err.__cause__):
        response = getattr(e, "response", None)
        if response is not None:
            return response.status_code
    return None


def _retry_after(err: requests.HTTPError) -> float | None:
    for e in (err, err.__cause__):
        response = getattr(e, "response", None)
        if response is not None:
            try:
                return float(response.headers.get("Retry-After", ""))
            except ValueError:
                return None
    return None


def _connection_cause(err: requests.ConnectionError) -> str:
    text = str(err)
    if isinstance(err, requests.exceptions.SSLError):
        return "beveiligde verbinding (TLS) mislukt"
    if isinstance(err, requests.exceptions.ProxyError):
        return "verbinding via de proxy mislukt"
    if "RemoteDisconnected" in text or "Connection aborted" in text or "reset by peer" in text:
        return "server verbrak de verbinding zonder antwoord"
    if "refused" in text.lower():
        return "verbinding geweigerd"
    if "NameResolution" in text or "Name or service not known" in text or "getaddrinfo" in text:
        return "servernaam onbekend"
    return "verbinding mislukt"


def _seconds(value: float) -> str:
    return f"{value:g} s".replace(".", ",")


def _fetch(run: _Run, table_id: str, entity: str, call: Callable[[], list]) -> list:
    """Run one cbsodata call with timeout, retries, exponential backoff and jitter."""
    attempts = max(0, run.retries) + 1
    where = f" bij {entity}" if entity else " bij de inhoudsopgave"
    for attempt in range(1, attempts + 1):
        run.check()
        wait_hint = None
        status = None
        try:
            with run.slot():
                result = call()
            if not isinstance(result, list):
                raise TypeError("no OData value list")
            return result
        except requests.HTTPError as err:
            status = _status_of(err)
            if status == 404:
                cause = "tabel bestaat niet (HTTP 404)" if entity in ("", TABLE_INFOS) else f"onderdeel {entity} bestaat niet (HTTP 404)"
                raise StatLineError(
                    f"Kan tabel {table_id} niet downloaden van {run.base_url}: {cause}", table_id=table_id, status=404, attempts=attempt
                ) from None
            if status is None or not (status >= 500 or status == 429):
                raise StatLineError(
                    f"Kan tabel {table_id} niet downloaden van {run.base_url}: server weigert het verzoek met HTTP {status}{where}",
                    table_id=table_id,
                    status=status,
                    attempts=attempt,
                ) from None
            cause = f"server antwoordt met HTTP {status}"
            wait_hint = _retry_after(err) if status in (429, 503) else None
        except requests.Timeout as err:
            if isinstance(err, requests.exceptions.ConnectTimeout):
                cause = "geen verbinding binnen de wachttijd (time-out)"
            else:
                cause = f"geen antwoord binnen {_seconds(run.read_timeout)} (time-out)"
        except requests.ConnectionError as err:
            cause = _connection_cause(err)
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
            cause = "antwoord onvolledig ontvangen"
        except ResponseTooLarge as err:  # the same answer again would be as large
            raise StatLineError(
                f"Kan tabel {table_id} niet downloaden van {run.base_url}: {err}{where} "
                f"(de grens per antwoord; ruimer met {MAX_RESPONSE_ENV})",
                table_id=table_id,
                attempts=attempt,
            ) from None
        except requests.RequestException as err:  # invalid URL and the like: retrying will not help
            raise StatLineError(
                f"Kan tabel {table_id} niet downloaden van {run.base_url}: verzoek mislukt ({type(err).__name__})",
                table_id=table_id,
                attempts=attempt,
            ) from None
        except ValueError:
            cause = "ongeldig JSON-antwoord"
        except (KeyError, TypeError, AttributeError):
            cause = "onverwacht antwoord (geen OData-gegevens)"
        if attempt == attempts:
            tries = f" (na {attempts} pogingen)" if attempts > 1 else ""
            raise StatLineError(
                f"Kan tabel {table_id} niet downloaden van {run.base_url}: {cause}{where}{tries}",
                table_id=table_id,
                status=status,
                attempts=attempts,
            )
        delay = min(run.max_backoff, run.backoff * 2 ** (attempt - 1))
        delay = delay / 2 + random.uniform(0, delay / 2)  # jitter, so parallel parts do not retry in step
        if wait_hint is not None:
            delay = max(delay, min(wait_hint, run.max_backoff))
        run.emit(DownloadProgress(table_id, "retry", entity or None, message=f"{cause}; poging {attempt + 1} van {attempts}"))
        if run.cancel.wait(delay):
            raise _Cancelled()
    raise AssertionError("unreachable")


def _get_meta(run: _Run, table_id: str, entity: str) -> list:
    return _fetch(run, table_id, entity, lambda: cbsodata.get_meta(table_id, entity, **run.kwargs()))


def _get_data(run: _Run, table_id: str, filters: str | None) -> list:
    return _fetch(
        run,
        table_id,
        TYPED_DATA_SET,
        lambda: cbsodata3._download_metadata(table_id, TYPED_DATA_SET, filters=filters, **run.kwargs()),
    )


# --------------------------------------------------------------------------- a table


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _plan_parts(keys: list[str], expected: int, page_rows: int, workers: int) -> list[list[str]]:
    """Contiguous groups of period keys for parallel parts of a data set.

    Each part costs ceil(rows / page_rows) sequential requests and `workers` parts
    run at a time; pick the group size with the shortest expected wall time
    (in requests), then the fewest requests. One group when it fits in a page.
    """
    n = len(keys)
    if n <= 1 or expected <= page_rows:
        return [keys]
    per_period = expected / n
    best = None
    for n_parts in range(1, n + 1):
        small, extra = divmod(n, n_parts)
        sizes = [small + 1] * extra + [small] * (n_parts - extra)  # even groups, at most 1 apart
        pages = [max(1, math.ceil(size * per_period / page_rows)) for size in sizes]
        makespan = math.ceil(n_parts / max(1, workers)) * max(pages)
        cost = (makespan, sum(pages), n_parts)
        if best is None or cost < best[0]:
            best = (cost, sizes)
    groups, start = [], 0
    for size in best[1]:
        groups.append(keys[start : start + size])
        start += size
    return groups


def _duplicates(rows: list[dict], dims: list[str]) -> bool:
    """Whether two rows share their dimension keys."""
    if not dims:
        return len(rows) > 1
    try:
        key = operator.itemgetter(*dims)
        return len(set(map(key, rows))) != len(rows)
    except KeyError:  # a row without some dimension field
        return True


def _metadata(run: _Run, table_id: str) -> dict[str, list[dict]]:
    """The service document and every metadata entity set of a table (all but the data sets)."""
    run.emit(DownloadProgress(table_id, "start"))
    service = _get_meta(run, table_id, "")
    names = [item.get("name") for item in service if isinstance(item, dict)]
    _check_keys(run, table_id, names, "naam", "de inhoudsopgave")  # dimension entity sets are named by their keys
    if TYPED_DATA_SET not in names or TABLE_INFOS not in names or DATA_PROPERTIES not in names:
        raise StatLineError(
            f"Kan tabel {table_id} niet downloaden van {run.base_url}: de inhoudsopgave mist TableInfos, DataProperties of TypedDataSet",
            table_id=table_id,
        )
    meta_names = [n for n in names if n not in (TYPED_DATA_SET, UNTYPED_DATA_SET)]

    def meta(name: str) -> list:
        rows = _get_meta(run, table_id, name)
        run.emit(DownloadProgress(table_id, "metadata", name, rows=len(rows)))
        return rows

    meta_rows = _parallel(run, meta, meta_names, run.part_workers)
    entities: dict[str, list[dict]] = dict(zip(meta_names, meta_rows))
    if not entities[TABLE_INFOS]:
        raise StatLineError(f"Kan tabel {table_id} niet downloaden van {run.base_url}: TableInfos is leeg", table_id=table_id)
    keys = [p.get("Key") for p in entities[DATA_PROPERTIES] if p.get("Type") in (*DIMENSION_TYPES, "Topic")]
    _check_keys(run, table_id, keys, "sleutel", DATA_PROPERTIES)
    return entities


def _check_keys(run: _Run, table_id: str, keys: list, what: str, where: str) -> None:
    """Keys become column names in SQL: refuse a table with anything but plain keys."""
    bad = unsafe_keys(keys)
    if bad:
        raise StatLineError(
            f"Kan tabel {table_id} niet downloaden van {run.base_url}: ongeldige {what} {str(bad[0])[:40]!r} "
            f"in {where} ({SAFE_KEY_TEXT} toegestaan)",
            table_id=table_id,
        )


def _download_table(run: _Run, table_id: str) -> TableSnapshot:
    entities = _metadata(run, table_id)
    props = entities[DATA_PROPERTIES]
    dims = [p["Key"] for p in props if p.get("Type") in ("Dimension", "GeoDimension", "TimeDimension")]
    missing = [d for d in dims if d not in entities]
    if missing:
        raise StatLineError(
            f"Kan tabel {table_id} niet downloaden van {run.base_url}: dimensie {missing[0]} ontbreekt in de inhoudsopgave",
            table_id=table_id,
        )
    # StatLine's TypedDataSet is a full cube: one row per combination of dimension keys.
    expected = math.prod(len(entities[d]) for d in dims) if dims else None
    time_dims = [p["Key"] for p in props if p.get("Type") == "TimeDimension"]
    period_keys = [r["Key"] for r in entities[time_dims[0]]] if time_dims else []

    groups = _plan_parts(period_keys, expected or 0, max(1, run.page_rows), run.part_workers) if time_dims else []
    if len(groups) > 1:
        tdim = time_dims[0]
        filters = [" or ".join(f"{tdim} eq {_quote(k)}" for k in g) for g in groups]
    else:
        tdim, groups, filters = None, [None], [None]

    rows_so_far = 0

    def part(i: int) -> list | None:
        """The rows of part i, or None when they fall outside its periods."""
        nonlocal rows_so_far
        rows = _get_data(run, table_id, filters[i])
        if groups[i] is not None:
            wanted = set(groups[i])
            if any(r.get(tdim) not in wanted for r in rows):
                return None
        with run._lock:
            rows_so_far += len(rows)
            so_far = rows_so_far
        run.emit(DownloadProgress(table_id, "data", TYPED_DATA_SET, rows=so_far, total=expected))
        return rows

    parts = _parallel(run, part, range(len(filters)), run.part_workers)
    rows = [r for p in parts if p is not None for r in p]
    if len(filters) > 1:
        try:  # back in StatLine's order, as one unfiltered download gives them
            rows.sort(key=operator.itemgetter("ID"))
        except (KeyError, TypeError):
            pass
        if None in parts or len(rows) != expected or _duplicates(rows, dims):
            # The parts do not add up to the cube: take the whole data set in one go instead.
            run.emit(DownloadProgress(table_id, "retry", TYPED_DATA_SET, message="delen klopten niet; hele tabel opnieuw"))
            rows = _get_data(run, table_id, None)
            run.emit(DownloadProgress(table_id, "data", TYPED_DATA_SET, rows=len(rows), total=expected))
            if _duplicates(rows, dims):
                raise StatLineError(
                    f"Kan tabel {table_id} niet downloaden van {run.base_url}: TypedDataSet bevat dubbele rijen",
                    table_id=table_id,
                )
    elif _duplicates(rows, dims):
        raise StatLineError(
            f"Kan tabel {table_id} niet downloaden van {run.base_url}: TypedDataSet bevat dubbele rijen", table_id=table_id
        )
    entities[TYPED_DATA_SET] = rows
    run.emit(DownloadProgress(table_id, "done", rows=len(rows), total=expected))
    return TableSnapshot(table_id, entities)


def _within_deadline(run: _Run, table_id: str, fn: Callable):
    """fn() for one table, given at most the table deadline and what is left of the run's.

    A server that trickles bytes never trips the per-read timeout, so fn runs
    on a daemon thread and the caller stops waiting when time is up; the run is
    cancelled, so that thread ends at its next request.
    """
    limits = []
    if run.table_deadline:
        limits.append((run.table_deadline, "table"))
    if run.ends_at is not None:
        limits.append((max(0.0, run.ends_at - time.monotonic()), "run"))
    if not limits:
        return fn()
    wait, which = min(limits)
    outcome: dict = {}
    finished = threading.Event()

    def work():
        try:
            outcome["result"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            outcome["error"] = exc
        finally:
            finished.set()

    threading.Thread(target=work, name=f"vtdata-table-{table_id}", daemon=True).start()
    ends = time.monotonic() + wait
    while not finished.wait(min(0.1, max(0.0, ends - time.monotonic()))):
        if time.monotonic() >= ends:
            if which == "table":
                limit = f"de tijdslimiet van {_seconds(run.table_deadline)} per tabel (VTDATA_TABLE_DEADLINE)"
            else:
                limit = "de tijdslimiet voor de hele verversing (VTDATA_REFRESH_DEADLINE)"
            late = StatLineError(
                f"Kan tabel {table_id} niet downloaden van {run.base_url}: niet klaar binnen {limit}", table_id=table_id
            )
            run.fail(late)  # first error of the run, so the waiting caller reports this table
            raise late
        if run.cancel.is_set():  # another table failed, or Ctrl-C
            raise _Cancelled()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _make_run(
    base_url, timeout, retries, backoff, progress, page_rows, part_workers, max_connections, table_deadline=None, deadline=None
) -> _Run:
    try:
        max_response_mb()  # a bad setting is one line before the first request, not one per request
    except BadCapSetting as exc:
        raise StatLineError(str(exc)) from None
    return _Run(
        base_url=_resolve_url(base_url),
        table_deadline=table_deadline,
        deadline=deadline,
        timeout=timeout,
        retries=retries,
        backoff=backoff,
        progress=progress,
        page_rows=page_rows,
        part_workers=part_workers,
        max_connections=max_connections,
    )


def _finish(run: _Run, fn: Callable):
    try:
        return fn()
    except _Cancelled:
        raise run.error(StatLineError("Download van StatLine afgebroken")) from None
    except KeyboardInterrupt:
        run.cancel.set()
        raise
    except StatLineError:
        run.cancel.set()
        raise


def _table_info(run: _Run, table_id: str) -> dict:
    rows = _get_meta(run, table_id, TABLE_INFOS)
    if not rows:
        raise StatLineError(f"Kan tabel {table_id} niet downloaden van {run.base_url}: TableInfos is leeg", table_id=table_id)
    return rows[0]


# --------------------------------------------------------------------------- public API


def fetch_table_info(
    table_id: str,
    *,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    base_url: str | None = None,
) -> dict:
    """The TableInfos row of a table (``Modified`` tells when CBS last changed it)."""
    run = _make_run(base_url, timeout, retries, backoff, None, DEFAULT_PAGE_ROWS, 1, 1)
    return _finish(run, lambda: _table_info(run, table_id))


def _per_table(table_ids: Iterable[str], fetch, workers: int, kwargs: dict) -> dict:
    """{table_id: fetch(run, table_id)} for several tables in parallel, each within the table deadline."""
    ids = list(table_ids)
    run = _make_run(
        kwargs.get("base_url"), kwargs.get("timeout", DEFAULT_TIMEOUT), kwargs.get("retries", DEFAULT_RETRIES),
        kwargs.get("backoff", DEFAULT_BACKOFF), None, DEFAULT_PAGE_ROWS, 1, max(1, workers),
        kwargs.get("table_deadline"), kwargs.get("deadline"),
    )  # fmt: skip

    def one(table_id: str):
        return _within_deadline(run, table_id, lambda: fetch(run, table_id))

    return dict(zip(ids, _finish(run, lambda: _parallel(run, one, ids, workers))))


def fetch_table_infos(table_ids: Iterable[str], *, workers: int = 4, **kwargs) -> dict[str, dict]:
    """TableInfos of several tables in parallel: {table_id: row}."""
    return _per_table(table_ids, _table_info, workers, kwargs)


def fetch_metadata(table_ids: Iterable[str], *, workers: int = 4, **kwargs) -> dict[str, dict[str, list[dict]]]:
    """Every metadata entity set of the tables, no data: {table_id: {entity set: rows}}.

    What `vtdata metadata` writes for the tests (`vtdata.source.metadata`): TableInfos,
    DataProperties, CategoryGroups and each dimension's categories, as StatLine sends them.
    """
    return _per_table(table_ids, _metadata, workers, kwargs)


def download_table(
    table_id: str,
    *,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    progress: ProgressCallback | None = None,
    page_rows: int = DEFAULT_PAGE_ROWS,
    part_workers: int = DEFAULT_PART_WORKERS,
    base_url: str | None = None,
    table_deadline: float | None = None,
) -> TableSnapshot:
    """One table: service document, TableInfos, DataProperties, CategoryGroups, the
    dimension entity sets and the TypedDataSet (codes kept, keys as StatLine pads them).

    A TypedDataSet larger than `page_rows` rows is downloaded in parts, one
    ``$filter`` on a group of periods each, `part_workers` at a time; the parts must
    add up to the full cube without duplicate keys, or the whole set is downloaded
    in one go. `table_deadline` (seconds) bounds the whole table. Raises `StatLineError`.
    """
    run = _make_run(
        base_url, timeout, retries, backoff, progress, page_rows, part_workers, max(1, part_workers), table_deadline
    )
    return _finish(run, lambda: _within_deadline(run, table_id, lambda: _download_table(run, table_id)))


def download_tables(
    table_ids: Iterable[str],
    *,
    workers: int = 4,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    progress: ProgressCallback | None = None,
    page_rows: int = DEFAULT_PAGE_ROWS,
    part_workers: int = DEFAULT_PART_WORKERS,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
    base_url: str | None = None,
    table_deadline: float | None = None,
    deadline: float | None = None,
) -> list[TableSnapshot]:
    """Several tables, `workers` at a time, in the order given.

    At most `max_connections` requests are open at once over all tables. Each
    table must be complete within `table_deadline` seconds and all of them within
    `deadline` seconds (None: no limit). The first failure cancels the rest and
    is raised (`StatLineError`, naming the table).
    """
    ids = list(dict.fromkeys(table_ids))
    run = _make_run(
        base_url, timeout, retries, backoff, progress, page_rows, part_workers, max_connections, table_deadline, deadline
    )

    def table(table_id: str) -> TableSnapshot:
        return _within_deadline(run, table_id, lambda: _download_table(run, table_id))

    return _finish(run, lambda: _parallel(run, table, ids, workers))


def download_filtered(
    table_id: str,
    make_filters: Callable[[dict[str, list[dict]]], list[str]],
    *,
    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    progress: ProgressCallback | None = None,
    part_workers: int = DEFAULT_PART_WORKERS,
    base_url: str | None = None,
    table_deadline: float | None = None,
    deadline: float | None = None,
) -> TableSnapshot:
    """A table's metadata in full, and only the cells its metadata selects.

    `make_filters(entities)` gets the metadata entity sets (TableInfos,
    DataProperties, CategoryGroups, one per dimension) and returns the OData
    ``$filter`` of each part of the TypedDataSet to download; it picks the keys
    by title, so nothing is hard-coded, and may raise `StatLineError`. The
    parts are downloaded `part_workers` at a time and must not overlap (a row
    in two parts raises `StatLineError`). For tables far too large to download
    whole, such as the population table 03759ned. `table_deadline` and
    `deadline` (seconds) bound it as in `download_tables`.
    """
    run = _make_run(
        base_url, timeout, retries, backoff, progress, DEFAULT_PAGE_ROWS, part_workers, max(1, part_workers),
        table_deadline, deadline,
    )  # fmt: skip

    def go() -> TableSnapshot:
        entities = _metadata(run, table_id)
        filters = make_filters(entities)
        parts = _parallel(run, lambda f: _get_data(run, table_id, f), filters, run.part_workers)
        rows = [r for part in parts for r in part]
        dims = [p["Key"] for p in entities[DATA_PROPERTIES] if p.get("Type") in ("Dimension", "GeoDimension", "TimeDimension")]
        if _duplicates(rows, dims):
            raise StatLineError(
                f"Kan tabel {table_id} niet downloaden van {run.base_url}: TypedDataSet bevat dubbele rijen", table_id=table_id
            )
        entities[TYPED_DATA_SET] = rows
        run.emit(DownloadProgress(table_id, "done", rows=len(rows)))
        return TableSnapshot(table_id, entities)

    return _finish(run, lambda: _within_deadline(run, table_id, go))


__all__ = [
    "DEFAULT_URL",
    "ENV_URL",
    "DownloadProgress",
    "StatLineError",
    "configure",
    "current_url",
    "download_filtered",
    "download_table",
    "download_tables",
    "fetch_table_info",
    "fetch_table_infos",
]
