"""The "replay page" of bench_pages: ships prebuilt elements, builds nothing.

`capture()` records the element messages (new elements and blocks, with their
delta paths) of an AppTest run of a real page; `replay()`, called from a
one-line AppTest script in the same process, sends copies of exactly those
messages again. Its rerun is the floor of a page: what Streamlit and AppTest
spend on shipping the same Vega-Lite specs with their rows, tables, texts and
map JSON, with nothing built. (Not a benchmark itself: run_all only runs bench_*.py.)
"""

from __future__ import annotations

from contextlib import contextmanager

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

REPLAY_SCRIPT = "from benchmarks.replay import replay\nreplay()\n"

_prebuilt: list[ForwardMsg] = []


@contextmanager
def capture(recorded: list[ForwardMsg]):
    """Within the block, each AppTest run's element messages are copied into `recorded`."""
    from streamlit.testing.v1 import local_script_runner

    parse = local_script_runner.parse_tree_from_messages

    def spy(messages):
        recorded.clear()
        for message in messages:
            if message.HasField("delta"):
                copy = ForwardMsg()
                copy.CopyFrom(message)
                recorded.append(copy)
        return parse(messages)

    local_script_runner.parse_tree_from_messages = spy
    try:
        yield recorded
    finally:
        local_script_runner.parse_tree_from_messages = parse


def prepare(messages: list[ForwardMsg]) -> None:
    """What the next replay() runs send."""
    _prebuilt[:] = messages


def replay() -> None:
    from streamlit.runtime.scriptrunner_utils.script_run_context import enqueue_message

    for prebuilt in _prebuilt:
        message = ForwardMsg()
        message.CopyFrom(prebuilt)
        message.ClearField("hash")  # computed again on enqueue, as for the real page
        message.ClearField("metadata")  # likewise, except the delta path
        message.metadata.delta_path[:] = prebuilt.metadata.delta_path
        enqueue_message(message)
