"""The two catalogues stay complete and in step; lookups fill placeholders or fail loudly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cakupan.core import i18n
from cakupan.core.i18n import (
    catalogue,
    normalise_lang,
    placeholders,
    plural_key,
    programme_label,
    segment_label,
    status_label,
    t,
)
from cakupan.present import state

LOCALES = Path(i18n.__file__).parent / "locales"

pytestmark = pytest.mark.unit


def test_both_catalogues_have_the_same_keys() -> None:
    ids, ens = set(catalogue("id")), set(catalogue("en"))
    assert sorted(ids - ens) == []
    assert sorted(ens - ids) == []


def test_every_entry_has_the_same_placeholders_in_both_languages() -> None:
    id_table, en_table = catalogue("id"), catalogue("en")
    differing = {key: (sorted(placeholders(id_table[key])), sorted(placeholders(en_table[key])))
                 for key in id_table
                 if placeholders(id_table[key]) != placeholders(en_table.get(key, ""))}
    assert differing == {}


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_catalogue_files_are_sorted_and_clean(lang: str) -> None:
    raw = (LOCALES / f"{lang}.json").read_text(encoding="utf-8")
    keys = list(json.loads(raw))
    assert keys == sorted(keys)
    table = catalogue(lang)
    assert [k for k, v in table.items() if not v or v != v.strip()] == []
    # Values reach markdown and plotly labels: no markup in the catalogue.
    assert [k for k, v in table.items() if "<" in v or ">" in v] == []


def test_indonesian_is_not_english_copied_over() -> None:
    id_table, en_table = catalogue("id"), catalogue("en")
    same = [k for k in id_table if id_table[k] == en_table[k]]
    # Acronyms, names and "Target {x}" may coincide; most entries must not.
    assert len(same) < len(id_table) * 0.15, same


@pytest.mark.parametrize(("key", "id_text", "en_text"), [
    ("page.ringkasan", "Ringkasan", "Overview"),
    ("page.peta", "Peta", "Map"),
    ("page.tren", "Tren & Target", "Trends & Targets"),
    ("page.wilayah", "Profil Wilayah", "Region Profile"),
    ("page.sumber", "Sumber & Metodologi", "Sources & Methods"),
    ("page.briefing", "Briefing", "Briefing"),
    ("status.registered", "Terdaftar", "Registered"),
    ("status.partial", "Sebagian", "Partial"),
    ("status.unregistered", "Belum terdaftar", "Not registered"),
    ("status.no_data", "Tidak ada data", "No data"),
    ("segment.all", "Semua segmen", "All segments"),
    ("segment.non_asn", "Non-ASN", "Non-ASN government staff"),
    ("segment.pu", "Penerima upah (PU)", "Wage earners (PU)"),
    ("segment.bpu", "Bukan penerima upah (BPU)", "Non-wage earners (BPU)"),
    ("segment.jakon", "Jasa konstruksi (Jakon)", "Construction workers (Jakon)"),
    ("provenance.published", "Data terbit", "Published"),
    ("provenance.illustrative", "Ilustrasi", "Illustrative"),
    ("action.copy_link", "Salin tautan", "Copy link"),
])
def test_labels_named_in_the_issue(key: str, id_text: str, en_text: str) -> None:
    assert (t(key, "id"), t(key, "en")) == (id_text, en_text)


def test_default_language_is_indonesian() -> None:
    assert t("status.unregistered") == "Belum terdaftar"


def test_map_unavailable_is_one_line_starting_as_the_issue_says() -> None:
    text = t("msg.map_unavailable", "id")
    assert text.startswith("Peta tidak tersedia")
    assert "\n" not in text


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", "Maluku 40% — target 55% Desember 2024: kurang 15 poin"),
    ("en", "Maluku 40% — target 55% by December 2024: 15 points short"),
])
def test_briefing_headline_fills_its_placeholders(lang: str, expected: str) -> None:
    assert t("briefing.headline", lang, region="Maluku", pct="40%", target="55%",
             deadline="Desember 2024" if lang == "id" else "December 2024",
             gap="15") == expected


def test_extra_values_are_ignored_and_braces_in_values_are_not_reinterpreted() -> None:
    assert t("msg.empty_region", "en", region="{x}", unused=1) == "There is no data for {x} yet."


def test_unknown_key_raises_with_the_key_in_the_message() -> None:
    with pytest.raises(KeyError, match=r"no\.such\.key"):
        t("no.such.key", "id")


def test_missing_placeholder_raises() -> None:
    with pytest.raises(KeyError):
        t("msg.empty_region", "id")


def test_unknown_language_raises() -> None:
    with pytest.raises(ValueError, match="fr"):
        t("status.partial", "fr")


@pytest.mark.parametrize(("raw", "expected"), [
    ("en", "en"), ("EN", "en"), ("en-US", "en"), ("id", "id"), ("fr", "id"), (None, "id"),
    ("", "id"),
])
def test_normalise_lang(raw: object, expected: str) -> None:
    assert normalise_lang(raw) == expected


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_vocabulary_code_has_a_label(lang: str) -> None:
    for segment in state.SEGMENTS:
        assert segment_label(segment, lang)
    for programme in state.PROGRAMMES:
        assert programme_label(programme, lang, long=True)
    for status in ("registered", "partial", "unregistered", "no_data"):
        assert status_label(status, lang)
        assert t(f"status.{status}.desc", lang)
    for metric in state.METRICS:
        assert t(f"metric.{metric}", lang)


@pytest.mark.parametrize(("code", "lang", "long", "expected"), [
    ("jkk", "id", False, "JKK"),
    ("jkk", "id", True, "JKK — Jaminan Kecelakaan Kerja"),
    ("jkm", "id", True, "JKM — Jaminan Kematian"),
    ("jht", "id", True, "JHT — Jaminan Hari Tua"),
    ("jp", "id", True, "JP — Jaminan Pensiun"),
    ("jkp", "id", True, "JKP — Jaminan Kehilangan Pekerjaan"),
    ("jkk", "en", True, "JKK — Work accident insurance"),
    ("any", "en", True, "Any programme"),
])
def test_programme_label(code: str, lang: str, long: bool, expected: str) -> None:
    assert programme_label(code, lang, long=long) == expected


def test_plural_forms_follow_each_language() -> None:
    assert plural_key("unit.people", 1, "en") == "unit.people.one"
    assert plural_key("unit.people", 2, "en") == "unit.people.other"
    assert plural_key("unit.people", 0, "en") == "unit.people.other"
    assert plural_key("unit.people", 1, "id") == "unit.people.other"


def test_every_notice_that_url_parsing_can_emit_exists_in_both_languages() -> None:
    bad = {"region": "zz", "segment": "zz", "programme": "zz", "period": "2018-13",
           "metric": "zz", "lang": "zz", "mode": "zz", "slide": "0", "tab": "zz"}
    _, notices = state.from_params(
        bad, valid_regions={"81"}, valid_periods=["2024-06"], defaults=state.ViewState(),
        extras={"tab": lambda v: None})
    _, stale = state.from_params(
        {"period": "1999-01"}, valid_regions=set(), valid_periods=["2024-06"],
        defaults=state.ViewState())
    keys = [*notices, *stale]
    assert len(keys) == 10
    for lang in i18n.LANGS:
        assert all(t(key, lang) for key in keys)
