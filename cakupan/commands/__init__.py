"""The command line, ``python -m cakupan``: one module per sub-command (CONTRACTS.md fixes
their forms and JSON) and ``cli``, which parses arguments and applies the output rules they
share (``--json`` prints one document; exit 0, 1 with one line on stderr, or 2).

Commands only parse, call the layers below and shape the output: the work is done there.
May import: every other part of ``cakupan`` (it is the top layer); never Streamlit.
"""
