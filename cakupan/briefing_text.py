"""Words of the briefing deck in Bahasa Indonesia and English.

Kept apart from the shared ``cakupan.i18n`` table so the deck's sentences can be reviewed as a
whole by someone who reads them aloud in a meeting; the i18n owner may merge them later.
Placeholders are ``str.format`` fields and receive already-formatted numbers.
"""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    # deck and slide titles
    "deck.title": {
        "id": "Kepesertaan BPJS Ketenagakerjaan {segment}: {region}, {month}",
        "en": "BPJS Ketenagakerjaan coverage of {segment}: {region}, {month}",
    },
    "slide.coverage": {"id": "Cakupan dan target", "en": "Coverage and target"},
    "slide.map": {"id": "Peta status kepesertaan", "en": "Registration status map"},
    "slide.behind": {"id": "Wilayah paling tertinggal", "en": "Regions furthest behind"},
    "slide.trend": {"id": "Tren dan proyeksi", "en": "Trend and projection"},
    "slide.cost": {"id": "Yang dibutuhkan", "en": "What it takes"},
    # slide 1 headlines
    "head.short": {
        "id": "{region} {pct} — target {target} {deadline}: kurang {points}",
        "en": "{region} {pct} — target {target} by {deadline}: {points} short",
    },
    "head.met": {
        "id": "{region} {pct} — target {target} {deadline} tercapai",
        "en": "{region} {pct} — target {target} by {deadline} reached",
    },
    "head.pct": {"id": "{region}: cakupan {pct}", "en": "{region}: coverage {pct}"},
    "head.count": {
        "id": "{region}: {registered} {segment} terlindungi",
        "en": "{region}: {registered} {segment} protected",
    },
    "head.count_unreg": {
        "id": "{region}: {registered} {segment} terlindungi — {n} dari {total} {units} "
              "belum mendaftar",
        "en": "{region}: {registered} {segment} protected — {n} of {total} {units} "
              "not registered",
    },
    "head.no_data": {
        "id": "{region}: belum ada data untuk {month}", "en": "{region}: no data for {month}",
    },
    # slide 1 bullets
    "b.registered": {"id": "Terlindungi: {value} orang", "en": "Protected: {value} people"},
    "b.eligible": {"id": "Potensi peserta: {value} orang", "en": "Eligible workers: {value}"},
    "b.coverage_from_counts": {
        "id": "Cakupan {pct} = {registered} dari {eligible}",
        "en": "Coverage {pct} = {registered} of {eligible}",
    },
    "b.reported": {
        "id": "Angka cakupan {pct} sebagaimana dilaporkan; jumlah orang tidak dipublikasikan",
        "en": "Coverage {pct} as reported; head counts not published",
    },
    "b.target": {"id": "Target: {target} pada {deadline}", "en": "Target: {target} by {deadline}"},
    "b.target_open": {
        "id": "Target: {target}, tanpa tenggat", "en": "Target: {target}, no deadline",
    },
    "b.basis": {"id": "Dasar: {basis}", "en": "Basis: {basis}"},
    "b.no_target": {
        "id": "Belum ada target tercatat untuk wilayah ini",
        "en": "No target recorded for this region",
    },
    "b.aggregated": {
        "id": "Total provinsi = jumlah kabupaten/kota + Pemprov",
        "en": "Province total = regencies/cities + provincial government",
    },
    # slide 2
    "map.head_unreg": {
        "id": "{n} dari {total} {units} belum mendaftar",
        "en": "{n} of {total} {units} not registered",
    },
    "map.head_all": {
        "id": "Semua {total} {units} sudah mendaftar",
        "en": "All {total} {units} registered",
    },
    "map.head_none": {
        "id": "Belum ada data per {units} untuk {month}",
        "en": "No data by {units} for {month}",
    },
    "map.head_some": {
        "id": "Angka per wilayah baru ada untuk {n} dari {total} {units}",
        "en": "Figures exist for {n} of {total} {units} so far",
    },
    "map.head_partial": {
        "id": "{n} dari {total} {units} baru sebagian terdaftar",
        "en": "{n} of {total} {units} only partly registered",
    },
    "map.counts": {"id": "{label}: {n}", "en": "{label}: {n}"},
    "units.regency": {"id": "kabupaten/kota", "en": "regencies/cities"},
    "units.province": {"id": "provinsi", "en": "provinces"},
    # slide 3
    "behind.head_unreg": {
        "id": "{n} {units} belum mendaftar sama sekali",
        "en": "{n} {units} have registered no one",
    },
    "behind.head_lowest": {
        "id": "Terendah: {name} {pct}", "en": "Lowest: {name} {pct}",
    },
    "behind.head_none": {
        "id": "Belum ada angka cakupan per wilayah", "en": "No coverage figures by region yet",
    },
    "behind.unreg_list": {"id": "Belum mendaftar: {names}", "en": "Not registered: {names}"},
    "behind.row": {"id": "{name}: {pct}", "en": "{name}: {pct}"},
    "behind.more": {"id": "dan {n} lainnya", "en": "and {n} more"},
    # slide 4
    "trend.head_on": {
        "id": "Dengan laju sekarang target tercapai {month}",
        "en": "At the current pace the target is reached in {month}",
    },
    "trend.head_late": {
        "id": "Dengan laju sekarang target tercapai {month} — terlambat {n} bulan",
        "en": "At the current pace the target is reached in {month}, {n} months late",
    },
    "trend.head_never": {
        "id": "Dengan laju sekarang target tidak tercapai",
        "en": "At the current pace the target is never reached",
    },
    "trend.head_points": {
        "id": "Perlu naik {points} dalam {months}",
        "en": "Needs {points} more in {months}",
    },
    "trend.head_single": {
        "id": "Baru satu titik data: tren belum dapat dihitung",
        "en": "Only one data point: no trend yet",
    },
    "trend.head_series": {
        "id": "{first}: {v0} → {last}: {v1}", "en": "{first}: {v0} → {last}: {v1}",
    },
    "trend.pace": {
        "id": "Laju 12 bulan terakhir: {value} orang per bulan",
        "en": "Pace over the last 12 months: {value} people a month",
    },
    "trend.needed": {
        "id": "Perlu {value} orang per bulan sampai {deadline}",
        "en": "Needs {value} people a month until {deadline}",
    },
    "trend.months_left": {
        "id": "Sisa waktu: {months} sampai {deadline}",
        "en": "Time left: {months} until {deadline}",
    },
    "trend.deadline_passed": {
        "id": "Tenggat {deadline} sudah lewat", "en": "The deadline {deadline} has passed",
    },
    "trend.points": {
        "id": "{n} titik data, {first}–{last}", "en": "{n} data points, {first}–{last}",
    },
    "trend.point": {"id": "1 titik data: {month}", "en": "1 data point: {month}"},
    # slide 5
    "cost.head_people": {
        "id": "Perlu {people} peserta baru: {rupiah} per tahun",
        "en": "{people} more people needed: {rupiah} a year",
    },
    "cost.head_people_only": {
        "id": "Perlu {people} peserta baru", "en": "{people} more people needed",
    },
    "cost.head_unreg": {
        "id": "{n} {units} perlu menganggarkan iuran {segment}",
        "en": "{n} {units} must budget premiums for {segment}",
    },
    "cost.head_dd": {
        "id": "Dana Desa: {rupiah} per tahun untuk {people} pekerja rentan",
        "en": "Village funds: {rupiah} a year for {people} vulnerable workers",
    },
    "cost.head_points": {
        "id": "Kurang {points} poin: perlu tambahan peserta sebelum {deadline}",
        "en": "{points} points short: more members needed before {deadline}",
    },
    "cost.head_none": {
        "id": "Biaya per orang dan dasar hukumnya", "en": "Cost per person and the legal basis",
    },
    "cost.people": {
        "id": "Kekurangan: {people} orang untuk mencapai {target}",
        "en": "Gap: {people} people to reach {target}",
    },
    "cost.months": {
        "id": "Waktu: {months} sampai {deadline} ({per_month} orang per bulan)",
        "en": "Time: {months} until {deadline} ({per_month} people a month)",
    },
    "cost.apbd": {
        "id": "APBD (non-ASN): {rupiah} per tahun untuk {people} orang",
        "en": "Regional budget, APBD (non-ASN): {rupiah} a year for {people} people",
    },
    "cost.apbd_unit": {
        "id": "APBD (non-ASN): iuran {programme} {monthly} per orang per bulan = {yearly} per "
              "tahun",
        "en": "Regional budget, APBD (non-ASN): {programme} premium {monthly} per person a month "
              "= {yearly} a year",
    },
    "cost.dd": {
        "id": "Dana Desa (pekerja rentan): {rupiah} per tahun untuk {people} orang "
              "(100 × {desa} desa)",
        "en": "Village funds (vulnerable workers): {rupiah} a year for {people} people "
              "(100 × {desa} villages)",
    },
    "cost.dd_registered": {
        "id": "Sudah terlindungi {registered} pekerja rentan ({month})",
        "en": "{registered} vulnerable workers already protected ({month})",
    },
    "cost.rate": {
        "id": "Iuran {programme}: {monthly} per orang per bulan",
        "en": "{programme} premium: {monthly} per person a month",
    },
    "cost.basis": {"id": "Dasar: {basis}", "en": "Basis: {basis}"},
    "basis.inpres2": {
        "id": "Inpres 2/2021 (perlindungan non-ASN)",
        "en": "Presidential Instruction 2/2021 (non-ASN staff)",
    },
    "basis.inpres4": {
        "id": "Inpres 4/2022: 100 pekerja rentan per desa dari Dana Desa",
        "en": "Presidential Instruction 4/2022: 100 vulnerable workers per village from "
              "village funds",
    },
    # labels
    "segment.non_asn": {"id": "pegawai non-ASN", "en": "non-civil-servant staff"},
    "segment.aparatur_desa": {"id": "aparatur desa", "en": "village officials"},
    "segment.pekerja_rentan": {"id": "pekerja rentan", "en": "vulnerable workers"},
    "segment.pu": {"id": "pekerja penerima upah", "en": "wage earners"},
    "segment.bpu": {"id": "pekerja bukan penerima upah", "en": "informal workers"},
    "segment.jakon": {"id": "pekerja jasa konstruksi", "en": "construction workers"},
    "segment.all": {"id": "semua pekerja", "en": "all workers"},
    "indonesia": {"id": "Indonesia", "en": "Indonesia"},
    "illustrative": {
        "id": "ILUSTRASI — bukan angka resmi", "en": "ILLUSTRATIVE — not official figures",
    },
    "cite.illustrative": {
        "id": "Data ilustrasi Cakupan (bukan angka resmi)",
        "en": "Cakupan illustrative data (not official figures)",
    },
    "sources": {"id": "Sumber: {list}", "en": "Sources: {list}"},
    "no_sources": {"id": "Sumber: —", "en": "Sources: —"},
    # chart labels
    "chart.coverage": {"id": "Cakupan (%)", "en": "Coverage (%)"},
    "chart.registered": {"id": "Terlindungi (orang)", "en": "Protected (people)"},
    "chart.actual": {"id": "Data", "en": "Data"},
    "chart.actual_illustrative": {"id": "Data ilustrasi", "en": "Illustrative data"},
    "chart.projection": {"id": "Proyeksi (laju 12 bulan)", "en": "Projection (12-month pace)"},
    "chart.target": {"id": "Jalur target", "en": "Target path"},
    "chart.target_point": {"id": "Target {value}", "en": "Target {value}"},
    "chart.unregistered_bar": {"id": "belum terdaftar", "en": "not registered"},
    "chart.no_rows": {"id": "Tidak ada data", "en": "No data"},
    "chart.boundaries": {"id": "Batas wilayah", "en": "Boundaries"},
    "map.no_geo": {
        "id": "Peta tidak tersedia: berkas batas wilayah belum ada",
        "en": "Map unavailable: boundary files are missing",
    },
    "slide.of": {"id": "{i} / {n}", "en": "{i} / {n}"},
    # controls of the briefing page
    "ui.prev": {"id": "Sebelumnya", "en": "Previous"},
    "ui.next": {"id": "Berikutnya", "en": "Next"},
    "ui.auto": {"id": "Putar otomatis", "en": "Auto-advance"},
    "ui.language": {"id": "Ganti bahasa", "en": "Switch language"},
    "ui.exit": {"id": "Keluar", "en": "Exit"},
    "ui.no_period": {
        "id": "Belum ada data untuk segmen ini.", "en": "No data for this segment yet.",
    },
}


def text(key: str, lang: str = "id", **values: object) -> str:
    """The sentence ``key`` in ``lang`` ("id" or "en"), with ``values`` filled in.

    Unknown languages fall back to Indonesian, the app's default, rather than failing a meeting.
    """
    entry = TEXT[key]
    template = entry.get(lang, entry["id"])
    return template.format(**values) if values else template
