"""Messages of the importer: numbers with format specs, text from files kept as plain text
(or escaped for Markdown), and wording for the app that never names a command-line flag."""

from __future__ import annotations

import pickle
from dataclasses import replace

import pytest
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from cakupan.ingest import IngestError, Limits, parse_file
from cakupan.ingest.messages import (
    CLI_MESSAGES,
    MESSAGES,
    escape_markdown,
    format_message,
    plain_text,
)

pytestmark = pytest.mark.unit

HOSTILE_NAME = "<img src=x onerror=alert(1)>[link](http://evil)"
TWO_MB = 2 * 2**20


def limits(**kw: int) -> Limits:
    return replace(Limits.from_settings(), **kw)


# --- "file too large": the exact sentence, both languages ------------------------------------


def test_file_too_large_reads_right_in_both_languages() -> None:
    with pytest.raises(IngestError) as err:
        parse_file(b"x" * (TWO_MB + 1), "besar.csv", limits=limits(upload_bytes=TWO_MB))
    assert err.value.key == "file_too_large"
    # One byte over 2 MB is shown rounded up, so the size never reads as equal to the limit.
    assert err.value.message("id") == "File terlalu besar (2,1 MB); batasnya 2 MB."
    assert err.value.message("en") == "The file is too large (2.1 MB); the limit is 2 MB."


def test_number_specs_are_localised_after_formatting() -> None:
    # The bug was a spec such as {size_mb:.1f} applied to a number already made text.
    params = {"part": "xl/worksheets/sheet1.xml", "ratio": 1234.56, "limit": 100}
    assert "dipadatkan 1.235 kali (batasnya 100 kali)" in format_message(
        "xlsx_compression", params, "id")
    assert "compressed 1,235 times (the limit is 100 times)" in format_message(
        "xlsx_compression", params, "en")
    big = {"size_mb": 1234.5, "limit_mb": 25}
    assert format_message("file_too_large", big, "id") == (
        "File terlalu besar (1.234,5 MB); batasnya 25 MB.")


def test_a_tiny_limit_still_reads_as_a_number() -> None:
    with pytest.raises(IngestError) as err:
        parse_file(b"x" * 3000, "besar.csv", limits=limits(upload_bytes=2097))
    assert err.value.message("en") == "The file is too large (0.0029 MB); the limit is 0.002 MB."


def test_a_template_out_of_step_with_its_parameters_still_reads_as_a_sentence() -> None:
    text = format_message("xlsx_compression", {"ratio": "banyak"}, "en")
    assert text.startswith("The part '…' of this XLSX file is compressed banyak times (the "
                           "limit is … times)")
    assert "{" not in text


# --- text from the file: one line, short, Markdown-safe on request ---------------------------


def test_hostile_file_name_stays_plain_text_and_escapes_for_markdown() -> None:
    with pytest.raises(IngestError) as err:
        parse_file(b"  \n", HOSTILE_NAME + ".csv")
    plain = err.value.message("en")
    assert plain == f"The file '{HOSTILE_NAME}.csv' is empty."  # shown as text: harmless
    html = MarkdownIt("commonmark").render(err.value.message("en", markdown=True))
    assert "<img" not in html and "<a " not in html and "href" not in html
    # What a Markdown renderer shows is exactly the plain message, as text.
    assert html == f"<p>{escapeHtml(plain)}</p>\n"


def test_markdown_rendering_shows_exactly_the_text() -> None:
    md = MarkdownIt("commonmark")
    for text in (HOSTILE_NAME, "*tebal* _miring_ `kode` # judul", ":red[merah] $x^2$",
                 "1. daftar", "&lt;b&gt;", "a\\b", "www.evil.example/x?a=1"):
        html = md.render(escape_markdown(text))
        assert "<a " not in html and "<em>" not in html and "<code>" not in html
        assert "<img" not in html and "<ol" not in html and "<h1" not in html


@pytest.mark.parametrize("key", ["file_empty", "file_type", "file_unreadable", "csv_is_zip"])
def test_every_message_with_the_file_name_is_escaped_in_markdown_mode(key: str) -> None:
    text = format_message(key, {"file": HOSTILE_NAME, "kind": "XLSX"}, "en", markdown=True)
    html = MarkdownIt("commonmark").render(text)
    assert "<img" not in html and "<a " not in html


def test_cell_values_and_headers_are_one_short_line() -> None:
    value = "Konsel\n\nBaris palsu: semua benar\u202e" + "x" * 500
    text = format_message("region_unmatched", {"value": value, "scope": ""}, "id")
    assert "\n" not in text and "\u202e" not in text
    assert "Konsel Baris palsu: semua benar" in text and "…" in text
    assert len(text) < 300
    assert plain_text("a\tb\r\nc\u200bd") == "a b cd"


def test_row_error_messages_in_results_are_one_line() -> None:
    data = b"Kabupaten;Peserta\n\"Kon\nsel\";banyak\n"
    result = parse_file(data, "f.csv", segment="pu", period="2020-01")
    assert result.errors and all("\n" not in e.message for e in result.errors)


# --- app and command line ---------------------------------------------------------------------


@pytest.mark.parametrize("key", ["segment_needed", "period_needed"])
def test_app_wording_never_names_a_flag_the_cli_wording_does(key: str) -> None:
    for lang in ("id", "en"):
        app = format_message(key, {}, lang)
        cli = format_message(key, {}, lang, context="cli")
        assert "--" not in app and ("Segmen" in app or "Segment" in app or "Periode" in app
                                    or "Period" in app)
        assert "--segment" in cli or "--period" in cli


def test_no_app_message_names_a_command_line_flag() -> None:
    for key, entry in MESSAGES.items():
        for lang, text in entry.items():
            assert " --" not in text and "(--" not in text, (key, lang)
    assert set(CLI_MESSAGES) <= set(MESSAGES)


def test_segment_needed_from_a_parse_in_app_and_cli() -> None:
    with pytest.raises(IngestError) as err:
        parse_file(b"Kabupaten;Peserta\nKonsel;1\n", "f.csv", period="2018-10")
    assert "--segment" not in err.value.message("en")
    assert "--segment" in err.value.message("en", context="cli")
    assert "--segment" in str(err.value)  # str() is the command line's Indonesian


def test_ingest_error_pickles_with_its_key_and_parameters() -> None:
    err = IngestError("file_empty", file="kosong.csv")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is IngestError and back.key == "file_empty"
    assert back.params == {"file": "kosong.csv"} and str(back) == str(err)
