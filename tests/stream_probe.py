"""One page run of a `streamlit run` server over its websocket, as a browser's first message asks.

Lighter than chromium for tests that only need to know what the server sent:
the settings a session starts with (theme, toolbar) and whether a page run
ended without an exception or an error box.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


@dataclass
class PageRun:
    new_session: object | None = None  # the NewSession message (config, theme)
    exceptions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # st.error boxes
    texts: list[str] = field(default_factory=list)  # markdown bodies, to find a page's words
    finished: bool = False


def _collect(msg: ForwardMsg, run: PageRun) -> None:
    kind = msg.WhichOneof("type")
    if kind == "new_session":
        run.new_session = msg.new_session
    elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
        element = msg.delta.new_element
        which = element.WhichOneof("type")
        if which == "exception":
            run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif which == "alert" and element.alert.format == Alert.ERROR:
            run.errors.append(element.alert.body)
        elif which == "markdown":
            run.texts.append(element.markdown.body)
    elif kind == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
        run.finished = True


async def _run_page(base_url: str, page: str, query: str, timeout: float) -> PageRun:
    run = PageRun()
    stream = base_url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
    async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None) as ws:
        back = BackMsg()
        back.rerun_script.query_string = query
        back.rerun_script.page_name = page
        await ws.send(back.SerializeToString())
        async with asyncio.timeout(timeout):
            while not run.finished:
                msg = ForwardMsg()
                msg.ParseFromString(await ws.recv())
                _collect(msg, run)
    return run


def run_page(base_url: str, page: str = "", query: str = "", timeout: float = 120.0) -> PageRun:
    """Open `page` (a URL path without '/', '' for the home page) with `query` and wait for its run to end."""
    return asyncio.run(_run_page(base_url, page, query, timeout))
