"""Tests of ``cakupan.hosting``: the rendered nginx.conf, real nginx in front of a header
echo, and the trusted-header identity in ``ui.auth`` (AppTest). The end-to-end check with
Chromium and a real Streamlit server is ``tests/browser/test_staff_entrance_browser.py``."""
