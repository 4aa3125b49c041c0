"""URL <-> view state: round trips, fallbacks with notices, never an exception."""

from __future__ import annotations

import random
import string
from urllib.parse import parse_qs, urlsplit

import pytest

from cakupan.present.state import (
    METRICS,
    PROGRAMMES,
    SEGMENTS,
    ViewState,
    from_params,
    share_url,
    widget_key,
)

pytestmark = pytest.mark.unit

REGIONS = {"74", "74.01", "74.71", "81", "81.01", "81.08", "53", "53.15"}
PERIODS = ["2017-12", "2018-10", "2023-03", "2024-06", "2024-12"]
DEFAULTS = ViewState(region="81", segment="non_asn")


def parse(params: dict, defaults: ViewState = DEFAULTS,
          **kwargs: object) -> tuple[ViewState, list[str]]:
    return from_params(params, valid_regions=REGIONS, valid_periods=PERIODS,
                       defaults=defaults, **kwargs)


def test_contract_example_link() -> None:
    state, notices = parse({"region": "74", "segment": "non_asn", "period": "2018-10",
                            "metric": "status"})
    assert notices == []
    assert (state.region, state.segment, state.period, state.metric) == \
        ("74", "non_asn", "2018-10", "status")
    assert (state.programme, state.lang) == (DEFAULTS.programme, DEFAULTS.lang)


def test_a_first_visit_gets_the_page_defaults() -> None:
    state, notices = parse({})
    assert state == DEFAULTS
    assert notices == []


def test_absent_region_means_indonesia_once_the_link_carries_state() -> None:
    state, notices = parse({"segment": "all"})
    assert state.region is None
    assert notices == []


def test_unknown_parameter_names_are_ignored_quietly() -> None:
    state, notices = parse({"fbclid": "abc", "utm_source": "wa"})
    assert notices == []
    assert state == DEFAULTS  # still a first visit: nothing of ours in the link


@pytest.mark.parametrize(("params", "field", "notice"), [
    ({"region": "99"}, "region", "notice.invalid.region"),
    ({"region": "<script>"}, "region", "notice.invalid.region"),
    ({"segment": "honorer"}, "segment", "notice.invalid.segment"),
    ({"programme": "bpjs"}, "programme", "notice.invalid.programme"),
    ({"period": "2018-13"}, "period", "notice.invalid.period"),
    ({"period": "Okt 2018"}, "period", "notice.invalid.period"),
    ({"period": "2030-01"}, "period", "notice.stale.period"),
    ({"metric": "heat"}, "metric", "notice.invalid.metric"),
    ({"lang": "fr"}, "lang", "notice.invalid.lang"),
])
def test_a_bad_value_falls_back_to_the_default_with_a_notice(
        params: dict, field: str, notice: str) -> None:
    state, notices = parse({**params, "segment": "all"} if field != "segment" else params)
    assert getattr(state, field) == getattr(DEFAULTS, field)
    assert notices == [notice]


def test_several_bad_values_give_notices_in_parameter_order_and_keep_the_good_ones() -> None:
    state, notices = parse({"lang": "xx", "region": "00", "metric": "coverage",
                            "period": "2018-10"})
    assert notices == ["notice.invalid.region", "notice.invalid.lang"]
    assert (state.metric, state.period) == ("coverage", "2018-10")


def test_values_are_trimmed_and_case_folded_where_codes_are_lower_case() -> None:
    state, notices = parse({"segment": " NON_ASN ", "lang": "EN", "metric": "Coverage"})
    assert notices == []
    assert (state.segment, state.lang, state.metric) == ("non_asn", "en", "coverage")


def test_regency_code_without_its_dot_is_understood() -> None:
    state, notices = parse({"region": "7401"})
    assert (state.region, notices) == ("74.01", [])


def test_repeated_parameters_take_the_last_value_as_streamlit_does() -> None:
    state, _ = parse({"region": ["74", "81.01"], "segment": []})
    assert state.region == "81.01"
    assert state.segment == DEFAULTS.segment


def test_empty_period_list_accepts_any_well_formed_month() -> None:
    state, notices = from_params({"period": "2031-01"}, valid_regions=REGIONS,
                                 valid_periods=[], defaults=DEFAULTS)
    assert (state.period, notices) == ("2031-01", [])


def test_a_page_can_offer_fewer_segments() -> None:
    state, notices = parse({"segment": "jakon"}, segments=("non_asn", "aparatur_desa"))
    assert state.segment == "non_asn"
    assert notices == ["notice.invalid.segment"]


def test_briefing_mode_and_slide() -> None:
    state, notices = parse({"mode": "briefing", "slide": "3", "region": "81"})
    assert notices == []
    assert state.briefing
    assert state.extra("slide") == "3"


@pytest.mark.parametrize(("params", "notice"), [
    ({"mode": "karaoke"}, "notice.invalid.mode"),
    ({"slide": "0"}, "notice.invalid.slide"),
    ({"slide": "-1"}, "notice.invalid.slide"),
    ({"slide": "two"}, "notice.invalid.slide"),
    ({"slide": "9999"}, "notice.invalid.slide"),
])
def test_bad_common_extras_are_dropped_with_a_notice(params: dict, notice: str) -> None:
    state, notices = parse(params)
    assert notices == [notice]
    assert state.extras == {}


def test_page_extras_use_the_page_rule() -> None:
    rules = {"compare": lambda v: v if all(c in REGIONS for c in v.split(",")) else None}
    good, notices = parse({"compare": "81.01,81.08"}, extras=rules)
    assert (good.extra("compare"), notices) == ("81.01,81.08", [])
    bad, notices = parse({"compare": "81.01,xx"}, extras=rules)
    assert bad.extra("compare") is None
    assert notices == ["notice.invalid.other"]


def test_to_params_is_explicit_but_leaves_out_none() -> None:
    params = ViewState().to_params()
    assert params == {"segment": "all", "programme": "any", "metric": "status", "lang": "id"}


def test_to_params_order_and_extras() -> None:
    state = ViewState(region="74", segment="non_asn", period="2018-10",
                      extras={"slide": "2", "mode": "briefing"})
    assert list(state.to_params()) == ["region", "segment", "programme", "period", "metric",
                                       "lang", "mode", "slide"]


def _random_state(rng: random.Random) -> ViewState:
    extras = {}
    if rng.random() < 0.3:
        extras["mode"] = "briefing"
    if rng.random() < 0.3:
        extras["slide"] = str(rng.randint(1, 12))
    return ViewState(
        region=rng.choice([None, *sorted(REGIONS)]),
        segment=rng.choice(SEGMENTS),
        programme=rng.choice(PROGRAMMES),
        period=rng.choice([None, *PERIODS]),
        metric=rng.choice(METRICS),
        lang=rng.choice(["id", "en"]),
        extras=extras,
    )


@pytest.mark.parametrize("defaults", [DEFAULTS, ViewState(), ViewState(region="74.01",
                                                                        metric="coverage")])
def test_round_trip_state_to_url_to_state(defaults: ViewState) -> None:
    rng = random.Random(20240601)
    for _ in range(500):
        state = _random_state(rng)
        url = share_url("https://cakupan.example", "peta", state)
        query = {k: v for k, v in parse_qs(urlsplit(url).query).items()}
        back, notices = parse(query, defaults=defaults)
        assert notices == []
        assert back == state, url
        assert back.to_params() == state.to_params()


def test_garbage_never_raises_and_always_yields_a_valid_state() -> None:
    rng = random.Random(7)
    alphabet = string.printable + "éü—…<>"
    names = ["region", "segment", "programme", "period", "metric", "lang", "mode", "slide",
             "x"]
    for _ in range(500):
        params = {rng.choice(names): "".join(rng.choice(alphabet)
                                             for _ in range(rng.randint(0, 12)))
                  for _ in range(rng.randint(0, 6))}
        state, notices = parse(params)
        assert state.region in REGIONS | {None}
        assert state.segment in SEGMENTS
        assert state.programme in PROGRAMMES
        assert state.period in [*PERIODS, None]
        assert state.metric in METRICS
        assert state.lang in ("id", "en")
        assert all(n.startswith("notice.") for n in notices)


def test_state_is_immutable_and_hashable() -> None:
    a = ViewState(region="81", extras={"slide": "2"})
    b = ViewState(region="81", extras={"slide": "2"})
    assert a == b and hash(a) == hash(b)
    assert len({a, b}) == 1
    with pytest.raises(TypeError):
        a.extras["slide"] = "3"  # type: ignore[index]
    with pytest.raises(AttributeError):
        a.region = "74"  # type: ignore[misc]


def test_with_extras_sets_and_removes() -> None:
    state = ViewState().with_extras(mode="briefing", slide=2)
    assert dict(state.extras) == {"mode": "briefing", "slide": "2"}
    assert dict(state.with_extras(slide=None).extras) == {"mode": "briefing"}


def test_resolved_period_is_the_latest_when_none_is_chosen() -> None:
    assert ViewState().resolved_period(["2018-10", "2024-12", "2023-03"]) == "2024-12"
    assert ViewState(period="2018-10").resolved_period(PERIODS) == "2018-10"
    assert ViewState().resolved_period([]) is None


@pytest.mark.parametrize(("base", "path", "expected_path"), [
    ("https://cakupan.example", "peta", "/peta"),
    ("https://cakupan.example/", "/peta/", "/peta"),
    ("https://cakupan.example/app", "wilayah", "/app/wilayah"),
    ("https://cakupan.example", "", "/"),
    ("https://cakupan.example", "/", "/"),
])
def test_share_url_paths(base: str, path: str, expected_path: str) -> None:
    url = share_url(base, path, ViewState(region="74.01", lang="en"))
    parts = urlsplit(url)
    assert parts.path == expected_path
    assert parse_qs(parts.query)["region"] == ["74.01"]
    assert "74.01" in url  # the dot stays readable


def test_widget_keys_are_namespaced() -> None:
    assert widget_key("region") == "cakupan.region"
    assert widget_key("region") != widget_key("segment")
