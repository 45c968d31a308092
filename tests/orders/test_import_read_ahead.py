"""The import parses chunks in a thread ahead of the writer: order, errors and stopping."""

import threading

import pytest

from orders.services.imports import _read_ahead


def test_chunks_come_out_in_order_and_complete():
    chunks = [[n, n + 1] for n in range(0, 40, 2)]
    assert list(_read_ahead(iter(chunks), depth=2)) == chunks


def test_an_error_of_the_reader_is_raised_in_the_consumer_after_the_good_chunks():
    def chunks():
        yield [1]
        yield [2]
        raise ValueError("refused at row 3")

    received = []
    with pytest.raises(ValueError, match="refused at row 3"):
        for chunk in _read_ahead(chunks()):
            received.append(chunk)
    assert received == [[1], [2]]


def test_closing_early_stops_the_reader_thread():
    produced = []

    def endless():
        n = 0
        while True:
            produced.append(n)
            yield [n]
            n += 1

    before = {thread.ident for thread in threading.enumerate()}
    chunks = _read_ahead(endless(), depth=2)
    assert next(chunks) == [0]
    chunks.close()
    readers = [
        thread
        for thread in threading.enumerate()
        if thread.name == "import-reader" and thread.ident not in before
    ]
    assert readers == []
    # Bounded: the thread got at most `depth` chunks ahead (plus the one in its hand).
    assert len(produced) <= 4
