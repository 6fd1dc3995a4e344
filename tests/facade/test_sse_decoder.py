"""The SDK's event-stream decoder (`_sse`): the WHATWG rules, however the text is chunked."""

from __future__ import annotations

import random

import pytest

from xpander_sdk._sse import SSEDecoder, SSEvent


def decode(*chunks: str) -> list[SSEvent]:
    decoder = SSEDecoder()
    events: list[SSEvent] = []
    for chunk in chunks:
        events += decoder.feed(chunk)
    return events


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_each_line_ending_ends_lines(newline: str) -> None:
    text = newline.join(["id: 1", "data: one", "", "data: two", "", ""])
    assert decode(text) == [SSEvent("one", id="1"), SSEvent("two", id="1")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("data: a\ndata: b\n\n", [SSEvent("a\nb")]),  # data lines join with a newline
        ("data:x\n\n", [SSEvent("x")]),  # no space after the colon
        ("data:  x\n\n", [SSEvent(" x")]),  # only one space is taken off
        ("data\n\n", [SSEvent("")]),  # a field without a colon has an empty value
        (": heartbeat\n\n", []),  # a comment, and an event with no data: nothing
        ("event: ping\ndata: 1\n\n", [SSEvent("1", event="ping")]),
        ("event: ping\n\ndata: 1\n\n", [SSEvent("1")]),  # the type does not outlive its event
        ("id: 7\ndata: a\n\ndata: b\n\n", [SSEvent("a", id="7"), SSEvent("b", id="7")]),
        ("id: 7\ndata: a\n\nid: 8\0\ndata: b\n\n", [SSEvent("a", id="7"), SSEvent("b", id="7")]),
        ("retry: 1500\ndata: a\n\n", [SSEvent("a", retry=1500)]),
        ("retry: soon\ndata: a\n\n", [SSEvent("a")]),  # not digits: ignored
        ("retry: 20\n\n", [SSEvent("", retry=20)]),  # a retry alone is handed over
        ("data: kept\n\ndata: never finished", [SSEvent("kept")]),
        ("unknown: field\ndata: a\n\n", [SSEvent("a")]),
    ],
)
def test_fields_follow_the_whatwg_rules(text: str, expected: list[SSEvent]) -> None:
    assert decode(text) == expected


def test_a_crlf_split_across_chunks_is_one_line_end() -> None:
    assert decode("data: a\r", "\n\r", "\ndata: b\r\n\r\n") == [SSEvent("a"), SSEvent("b")]
    # Read as two line ends, the \r and the \n would end the event after "a".
    assert decode("data: a\r", "\ndata: b\n\n") == [SSEvent("a\nb")]


def test_any_chunking_gives_the_same_events() -> None:
    parts = [
        'id: 1\r\ndata: {"a": 1}\r\n\r\n',
        ": keep-alive\n\n",
        "event: note\rdata: line one\rdata: line two\r\r",
        "id: 2\ndata: é ✓\n\n",
        "retry: 300\nid: 3\ndata:x\n\n",
    ]
    text = "".join(parts * 5)
    whole = decode(text)
    assert len(whole) == 20
    rng = random.Random(13)
    for _ in range(300):
        cuts = sorted(rng.sample(range(1, len(text)), rng.randint(1, 40)))
        chunks = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        assert decode(*chunks) == whole
