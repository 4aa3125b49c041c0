"""The network benchmark's own arithmetic, without a browser or a server.

``python -m cakupan bench --network regional`` drives Chromium for minutes and is not part of
the suite; what it makes of the DevTools events it recorded (bytes), how it judges the budgets
and how it prints them are tested here on hand-made events whose sums are worked out in the
comments.
"""

from __future__ import annotations

import base64
import json

import pytest

from cakupan.benchmarks import network
from cakupan.benchmarks.network import Row, Step, Visit

pytestmark = pytest.mark.unit


def _ev(method: str, **params: object) -> dict:
    return {"method": f"Network.{method}", "params": params}


EVENTS = [
    _ev("requestWillBeSent", requestId="1", request={"url": "http://127.0.0.1:1/peta"}),
    _ev("loadingFinished", requestId="1", encodedDataLength=1200),
    _ev("requestWillBeSent", requestId="2", request={"url": "http://127.0.0.1:1/static/a.js"}),
    _ev("loadingFinished", requestId="2", encodedDataLength=30_000.0),  # CDP sends floats
    _ev("requestWillBeSent", requestId="3", request={"url": "data:image/png;base64,AAAA"}),
    _ev("loadingFinished", requestId="3", encodedDataLength=999),  # never on the link
    _ev("loadingFinished", requestId="4", encodedDataLength=50),  # URL unknown: counted
    _ev("webSocketFrameReceived", requestId="9",
        response={"opcode": 2, "mask": False,
                  "payloadData": base64.b64encode(bytes(range(10)) * 7).decode()}),  # 70 bytes
    _ev("webSocketFrameReceived", requestId="9",
        response={"opcode": 1, "mask": False, "payloadData": "héllo"}),  # 6 bytes in UTF-8
    _ev("webSocketFrameSent", requestId="9",
        response={"opcode": 2, "payloadData": base64.b64encode(b"x" * 500).decode()}),  # sent
    _ev("dataReceived", requestId="2", dataLength=30_000, encodedDataLength=30_000),  # in 2's
]


def test_bytes_are_http_on_the_wire_plus_websocket_payloads_received() -> None:
    got = network.received_bytes(EVENTS)
    assert got.http == 1200 + 30_000 + 50
    assert got.responses == 3
    # The binary frame counts its decoded 70 bytes, not its 96 base64 characters.
    assert got.websocket == 70 + 6
    assert got.frames == 2
    assert got.total == 31_250 + 76
    assert network.received_bytes([]).total == 0


def test_the_websocket_extension_is_read_from_the_handshake_in_any_case() -> None:
    deflate = _ev("webSocketHandshakeResponseReceived", requestId="9",
                  response={"status": 101, "headers": {
                      "sec-websocket-extensions": "permessage-deflate; client_max_window_bits"}})
    plain = _ev("webSocketHandshakeResponseReceived", requestId="9",
                response={"status": 101, "headers": {"Upgrade": "websocket"}})
    assert network.websocket_extensions([deflate]).startswith("permessage-deflate")
    assert network.websocket_extensions([plain]) == ""
    assert network.websocket_extensions(EVENTS) is None  # no handshake seen


def test_the_regional_link_in_devtools_units() -> None:
    assert network.REGIONAL.cdp_params() == {
        "offline": False, "latency": 100, "downloadThroughput": 625_000,
        "uploadThroughput": 125_000}
    assert "5 Mbit/s down, 1 Mbit/s up" in network.REGIONAL.describe()


def test_first_visit_budget() -> None:
    assert network.first_visit_ok(6.0, peer_seconds=15.0) is True  # 2.5x faster, under 8 s
    assert network.first_visit_ok(6.0, peer_seconds=10.0) is False  # only 1.7x faster
    assert network.first_visit_ok(9.0, peer_seconds=30.0) is False  # over 8 s
    assert network.first_visit_ok(6.0, peer_seconds=None) is None  # no peer: not judged
    assert network.first_visit_ok(9.0, peer_seconds=None) is False  # over 8 s anyway
    assert network.first_visit_ok(None, peer_seconds=15.0) is False  # never drawn


def test_revisit_and_month_step_budgets() -> None:
    assert network.revisit_ok(1.0, 100_000, peer_received=600_000) is True  # 6x fewer
    assert network.revisit_ok(1.0, 200_000, peer_received=600_000) is False  # 3x
    assert network.revisit_ok(3.0, 0, peer_received=600_000) is False  # over 2.5 s
    assert network.revisit_ok(1.0, 0, peer_received=600_000) is True  # nothing fetched
    assert network.step_ok(50_000) is True
    assert network.step_ok(50_001) is False
    assert network.step_ok(None) is False


def _rows(step_bytes: int = 20_000) -> list[Row]:
    return [
        Row("peer", "bare", "national", Visit(20.0, 12_000_000), Visit(4.0, 9_000_000)),
        Row("cakupan", "bare", "national", Visit(9.0, 3_000_000), Visit(2.0, 900_000),
            Step(websocket_bytes=step_bytes), websocket_extensions=""),
        Row("cakupan", "topology", "national", Visit(5.0, 1_500_000), Visit(1.2, 40_000),
            Step(websocket_bytes=step_bytes, seconds=0.8),
            websocket_extensions="permessage-deflate"),
        Row("peer", "bare", "maluku", Visit(9.0, 5_000_000), Visit(3.0, 2_000_000)),
        Row("cakupan", "topology", "maluku", Visit(6.0, 1_000_000), Visit(2.0, 30_000)),
    ]


def test_verdicts_judge_the_topology_rows_against_the_peer_on_the_same_view() -> None:
    got = {(v["view"], v["budget"]): v for v in network.verdicts(_rows())}
    assert set(got) == {("national", "first_visit"), ("national", "revisit"),
                        ("national", "month_step"), ("maluku", "first_visit"),
                        ("maluku", "revisit")}  # the bare rows are not judged
    assert got["national", "first_visit"]["ok"] is True  # 5 s, 4x faster
    assert got["national", "first_visit"]["peer_ratio"] == 4.0
    assert got["maluku", "first_visit"]["ok"] is False  # 6 s but only 1.5x faster
    assert got["national", "revisit"]["peer_bytes_ratio"] == 225.0
    assert got["national", "month_step"]["ok"] is True
    assert not network.verdicts(_rows(step_bytes=60_000))[2]["ok"]
    json.dumps(network.verdicts(_rows()))  # JSON-ready (no infinities)


def test_the_table_shows_each_row_with_its_marks_and_the_websocket_compression() -> None:
    text = network.table(_rows(), notes=["Peer note."])
    lines = text.splitlines()
    assert lines[0].startswith("Link regional: 100 ms latency")
    header = lines[1].split()
    assert header[:4] == ["app", "mode", "view", "first"]
    topo = next(line for line in lines if line.startswith("cakupan  topology  national"))
    assert "5.00" in topo and "4.0x" in topo and "1.50 MB" in topo and "40.0 KB" in topo
    assert "225.0x" in topo and "20.0 KB" in topo and topo.count("✓") == 3
    maluku = next(line for line in lines if line.startswith("cakupan  topology  maluku"))
    assert "✗" in maluku and "1.5x" in maluku
    bare = next(line for line in lines if line.startswith("cakupan  bare"))
    assert "✓" not in bare and "✗" not in bare  # printed for comparison, not judged
    assert "Websocket, cakupan topology: Sec-WebSocket-Extensions: permessage-deflate" in text
    assert "Websocket, cakupan bare: no extension" in text
    assert "after permessage-deflate decompression" in text
    assert lines[-1] == "Peer note."


def test_without_the_peer_the_ratios_are_not_judged_and_the_table_still_prints() -> None:
    alone = [r for r in _rows() if r.app == "cakupan"]
    marks = {(v["view"], v["budget"]): v["ok"] for v in network.verdicts(alone)}
    assert marks["national", "first_visit"] is None  # 5 s is fine; the ratio is unknown
    assert marks["maluku", "revisit"] is None
    assert marks["national", "month_step"] is True
    assert "?" in network.table(alone)


def test_a_failed_visit_is_printed_and_the_result_round_trips_through_json() -> None:
    rows = _rows()
    rows[2].first = Visit(error="TimeoutError: the map was never drawn")
    result = {"profile": {"name": "regional", "latency_ms": 100, "download_bytes_s": 625_000,
                          "upload_bytes_s": 125_000},
              "rows": json.loads(json.dumps([network.asdict(r) for r in rows])), "notes": []}
    text = network.result_table(result)
    assert "! cakupan topology national first visit: TimeoutError" in text
    assert network.verdicts(network.rows_from(result))[0]["ok"] is False


def test_the_peer_path_is_taken_from_the_repository_root(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv(network.PEER_ENV, raising=False)
    assert network.peer_app().parts[-3:] == ("shared", "bench", "naive_app.py")
    monkeypatch.setenv(network.PEER_ENV, str(tmp_path / "peer.py"))
    assert network.peer_app() == tmp_path / "peer.py"


def test_human_bytes_uses_units_of_1000() -> None:
    assert network.human_bytes(999) == "999 B"
    assert network.human_bytes(50_000) == "50.0 KB"
    assert network.human_bytes(10_900_000) == "10.90 MB"
    assert network.human_bytes(None) == "-"
