"""The one counting mechanism under the login and consultation limits (congress/rate_windows.py):
a window opens at its first hit, counts every hit, tells how long it has left, and a new one
opens when it ends."""

import time_machine

from congress import rate_windows


def test_a_window_counts_its_hits_and_ends_after_its_seconds(db):
    with time_machine.travel(1_000_000, tick=False) as clock:
        assert rate_windows.hit("k", 60) == rate_windows.Window(1, 60)
        clock.shift(20)
        assert rate_windows.hit("k", 60) == rate_windows.Window(2, 40)
        assert rate_windows.peek(["k", "other"], 60) == {"k": rate_windows.Window(2, 40)}
        clock.shift(41)
        assert rate_windows.hit("k", 60) == rate_windows.Window(1, 60)  # a new window


def test_forget_ends_a_window(db):
    rate_windows.hit("k", 60)
    rate_windows.forget("k")
    assert rate_windows.peek(["k"], 60) == {}


def test_a_check_fails_open_without_the_cache(db, caplog):
    @rate_windows.fail_open(0, "test limit")
    def broken():
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    assert broken() == 0
    assert "test limit skipped: cache unavailable" in caplog.text
