"""Heartbeat and back-off state machines, driven by a fake clock (no sleeping)."""

import pytest

from sluice.liveness import Action, Backoff, Liveness


def test_heartbeat_is_due_after_one_quiet_interval_and_sending_resets_it():
    live = Liveness(interval=1.0, now=100.0)
    assert live.check(100.5) == Action.NONE
    assert live.check(101.0) == Action.SEND_HEARTBEAT
    live.sent(101.0)
    assert live.check(101.9) == Action.NONE
    assert live.next_deadline == 102.0


def test_peer_is_lost_after_three_silent_intervals_and_traffic_keeps_it_alive():
    live = Liveness(interval=1.0, now=0.0)
    for t in (1.0, 2.0):
        live.sent(t)
    assert live.check(2.99) == Action.NONE
    assert live.check(3.0) == Action.PEER_LOST  # takes precedence over a due heartbeat
    live.received(2.5)
    assert live.check(5.49) in (Action.NONE, Action.SEND_HEARTBEAT)
    assert live.check(5.5) == Action.PEER_LOST


def test_liveness_rejects_nonsense():
    with pytest.raises(ValueError):
        Liveness(interval=0)
    with pytest.raises(ValueError):
        Backoff(initial=2, maximum=1)


def test_backoff_doubles_from_one_to_thirty_two_seconds_and_resets():
    b = Backoff()
    assert [b.next() for _ in range(8)] == [1, 2, 4, 8, 16, 32, 32, 32]
    b.reset()
    assert b.next() == 1
