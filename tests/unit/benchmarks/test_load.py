"""The load benchmark's own arithmetic and step runner, without browsers or servers.

The whole curve (``python -m cakupan bench --load``) takes many minutes on real browsers and
is not part of the test suite; what it computes from what it measured is tested here, on
hand-made inputs whose expected values are worked out in the comments.
"""

from __future__ import annotations

import pytest

from cakupan.benchmarks import load

pytestmark = pytest.mark.unit


def test_percentile_interpolates_between_ranks_like_numpy() -> None:
    twenty = [float(v) for v in range(1, 21)]
    # rank (20 - 1) * 0.95 = 18.05: between the 19th (19.0) and 20th (20.0) value.
    assert load.percentile(twenty, 95) == pytest.approx(19.05)
    assert load.percentile([4.0, 1.0, 3.0, 2.0], 50) == pytest.approx(2.5)  # order-free
    assert load.percentile([7.0], 95) == 7.0
    assert load.percentile([], 50) is None


def test_memory_per_session_is_the_growth_of_the_processes_seen_twice() -> None:
    before = {101: 300_000, 102: 20_000}  # KiB by pid
    after = {101: 310_240, 102: 20_000, 103: 999_999}  # 103 started meanwhile: not counted
    # (310,240 - 300,000) KiB = 10 MB, over 5 sessions.
    assert load.per_session_mb(before, after, 5) == pytest.approx(2.0)
    assert load.per_session_mb(before, after, 0) is None
    assert load.per_session_mb({1: 500}, {1: 400}, 1) < 0  # shrinking is reported, not hidden


def _run(start: float, wall: float, cpu: float, runq: float = 0.0, fragment: bool = False):
    return {"start": start, "wall_s": wall, "cpu_s": cpu, "runq_s": runq,
            "fragment": fragment, "page": ""}


def test_runs_are_counted_in_their_window_with_fragments_apart() -> None:
    records = [
        _run(9.0, 5.0, 5.0),  # before the window (the warm-up)
        _run(10.0, 1.0, 0.25, runq=0.5),  # off the run queue: 1.0 - 0.25 - 0.5 = 0.25
        _run(11.0, 3.0, 0.5, runq=1.0),  # 3.0 - 0.5 - 1.0 = 1.5
        _run(12.0, 0.01, 0.01, fragment=True),
        _run(21.0, 9.0, 9.0),  # after the window
    ]
    got = load.summarize_runs(records, since=10.0, until=20.0)
    assert got["runs"] == 2 and got["fragment_runs"] == 1
    assert got["wall_s"] == {"p50": 2.0, "p95": 2.9, "max": 3.0}
    assert got["cpu_s"]["p50"] == pytest.approx(0.375)
    assert got["runq_s"]["max"] == 1.0
    assert got["off_queue_s"]["p50"] == pytest.approx(0.875)
    assert got["cpu_s_sum"] == pytest.approx(0.76)  # fragments' CPU included in the sum


def test_a_step_that_times_out_stops_the_larger_ones() -> None:
    asked: list[int] = []

    def fake(n: int) -> dict:
        asked.append(n)
        return {"sessions": n, "timed_out": n == 10}

    got = load.run_steps((1, 5, 10, 20, 30), fake)
    assert asked == [1, 5, 10]
    assert [s["sessions"] for s in got] == [1, 5, 10, 20, 30]
    assert got[3]["skipped"] == got[4]["skipped"] == "the 10-session step timed out"


def _step(n: int, p95: float, errors: int = 0) -> dict:
    return {"sessions": n, "errors": errors, "server": {"wall_s": {"p95": p95}}}


def test_goal_compares_p95_at_twenty_sessions_with_the_lone_one() -> None:
    ok = load.goal([_step(1, 0.5), _step(5, 0.6), _step(20, 1.5), _step(30, 9.0, errors=3)])
    assert ok == {"errors_up_to_goal": 0, "no_errors": True, "p95_ratio": 3.0, "p95_ok": True}
    missed = load.goal([_step(1, 0.5), _step(10, 0.9, errors=1), _step(20, 2.0)])
    assert missed["errors_up_to_goal"] == 1 and not missed["no_errors"]
    assert missed["p95_ratio"] == 4.0 and not missed["p95_ok"]
    # 20 sessions never measured (skipped): the goal is not met, and no ratio is invented.
    none = load.goal([_step(1, 0.5), {"sessions": 20, "skipped": "..."}])
    assert none["p95_ratio"] is None and not none["p95_ok"] and not none["no_errors"]


def test_proc_parsers_cope_with_spaces_and_parentheses_in_the_name() -> None:
    # pid (comm) state ppid ... field 14 utime, 15 stime (clock ticks).
    fields = ["S", "42"] + ["0"] * 9 + [str(3 * load.CLK_TCK), str(load.CLK_TCK)] + ["0"] * 30
    ppid, cpu = load.parse_stat("1234 (Web Content (x)) " + " ".join(fields))
    assert ppid == 42 and cpu == pytest.approx(4.0)
    assert load.parse_rss_kib("Name:\tpython\nVmRSS:\t  345678 kB\nVmSwap:\t0 kB\n") == 345678
    assert load.parse_rss_kib("Name:\tzombie\n") == 0


def _sample(at: float, replica: float, rss: int, busy: float, pg: dict[int, float]):
    return load.Sample(at=at, replica_cpu={7: replica}, replica_rss={7: rss}, nginx_cpu=1.0,
                       nginx_rss={8: 10_000}, pg_cpu=pg, client_cpu=20.0 + at, own_cpu=0.5,
                       busy=busy, load=(1.0, 1.0, 1.0))


def test_cpu_split_gives_the_rest_of_the_machine_to_others() -> None:
    before = _sample(0.0, 10.0, 300_000, 100.0, {50: 2.0})
    after = _sample(30.0, 16.0, 320_480, 160.0, {50: 2.5, 51: 0.25})  # 51 opened meanwhile
    got = load.cpu_split(before, after)
    # 6 replica + 0 nginx + 0.75 postgres + 30 browsers + 0 bench = 36.75 of 60 busy seconds.
    assert got == {"replicas": 6.0, "nginx": 0.0, "postgres": 0.75, "browsers": 30.0,
                   "bench": 0.0, "others": 23.25, "machine": 60.0}


def test_a_lone_step_divides_by_its_five_sessions_and_counts_every_error() -> None:
    before = _sample(0.0, 10.0, 300_000, 100.0, {})
    after = _sample(30.0, 12.0, 310_240, 130.0, {})
    sessions = [load.Session(link.name, open_s=2.0, change_s=1.0) for link in load.LINKS]
    sessions[0].errors.append("month: TimeoutError")
    sessions[1].open_s, sessions[1].change_s = 4.0, None
    records = [_run(1.0, 0.5, 0.25) for _ in range(4)]
    got = load.report_step(1, 1, {"before": before, "after": after, "sessions": sessions,
                                  "wall_s": 30.0, "timed_out": False, "warm_up_errors": [],
                                  "streams": {}}, records)
    assert got["browser_sessions"] == 5 and got["errors"] == 1
    assert got["memory"]["replica_mb_per_session"] == 2.0  # 10 MB over five lone sessions
    assert got["client"]["open_s"]["n"] == 5 and got["client"]["month_s"]["n"] == 4
    assert got["client"]["pages_drawn"] == 9 and got["client"]["pages_asked"] == 10
    assert got["server"]["runs"] == 4
    assert got["server"]["process_cpu_s_per_run"] == 0.5  # 2 s of replica CPU over 4 runs
