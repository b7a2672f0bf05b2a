"""The soak benchmark's verdict on memory (bench/room_soak_memory.py): a server that settles
after warm-up meets the goal, one that keeps growing does not, whatever it did while warming
up."""

import logging

import pytest

from bench.room_soak_memory import analyse

MINUTES = 10
EVERY_S = 10


def samples(rss_at):
    """A sample every 10 s over 10 minutes, of one server whose RSS (KiB) is `rss_at(s)`."""
    return [(float(t), [rss_at(t)]) for t in range(0, MINUTES * 60 + 1, EVERY_S)]


def test_a_server_that_grows_while_warming_up_then_holds_meets_the_goal():
    outcome = analyse(samples(lambda t: 100_000 + min(t, 120) * 200), MINUTES * 60)
    (server,) = outcome["servers"]
    assert outcome["met"]
    assert server["end_ratio"] == pytest.approx(1.0)
    assert server["slope_mib_per_min"] == pytest.approx(0.0)
    assert server["warmed_kib"] > server["before_kib"]


def test_a_server_that_keeps_growing_after_warm_up_fails_the_goal():
    # 1 MiB a minute on 100 MiB: about 7 % over the 6⅔ minutes after warm-up.
    outcome = analyse(samples(lambda t: 102_400 + round(t * 1024 / 60)), MINUTES * 60)
    (server,) = outcome["servers"]
    assert not outcome["met"]
    assert server["end_ratio"] == pytest.approx(1.063, abs=0.002)
    assert server["slope_mib_per_min"] == pytest.approx(1.0, abs=0.01)
    assert "not met" in outcome["text"]


def test_a_server_growing_slowly_but_steadily_fails_though_its_ratio_passes():
    # 0.25 MiB a minute on 170 MiB: 1 % over the run's last 6⅔ minutes, 8.8 % in an hour.
    outcome = analyse(samples(lambda t: 174_080 + round(t * 256 / 60)), MINUTES * 60)
    (server,) = outcome["servers"]
    assert server["end_ratio"] < 1.05
    assert server["hourly_share"] == pytest.approx(0.088, abs=0.002)
    assert not outcome["met"]
    assert "not met" in outcome["text"]


def test_the_soak_reads_the_collections_the_servers_log(tmp_path, caplog):
    from bench import room_soak_collections
    from virage_site import garbage

    with caplog.at_level(logging.DEBUG, logger="virage_site.garbage"):
        garbage.collect_once()
        garbage.collect_once()
    log = tmp_path / "daphne-0.log"
    log.write_text("WSCONNECT /ws/coaching/sessions/3/\n" + caplog.text)
    empty = tmp_path / "daphne-1.log"
    empty.write_text("")

    first, second = room_soak_collections.summary([log, empty])
    assert first["collections"] == 2
    assert 0 <= first["median_trim_ms"] <= first["median_ms"] <= first["max_ms"]
    assert second is None
    text = room_soak_collections.describe([first, second])
    assert text.startswith("server 1: 2 collections") and "server 2: none logged" in text
