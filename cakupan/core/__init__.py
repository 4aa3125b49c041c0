"""Foundation: what every other part of Cakupan may use, and which uses none of them.

- ``errors``: :class:`CakupanError`, the error whose message is meant for a person;
- ``settings``: every environment setting, with its default, in one place;
- ``i18n`` (and ``locales/``): the one catalogue of words, Bahasa Indonesia and English;
- ``months``: ``YYYY-MM`` period arithmetic; ``policy``: numbers fixed by regulation;
- ``datafile``: the checked reader of the project's committed CSV files;
- ``spreadsheet``: CSV/XLSX writers that are safe against formula injection.

May import: the standard library and third-party packages only, never another part of
``cakupan`` (import-linter's ``layers`` contract in ``pyproject.toml`` checks this).
"""
