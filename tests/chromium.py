"""Debian's Chromium as the browser tests and benches launch it: where it is, and flags that
keep it to the page under test (no background networking, updates or sync)."""

import shutil

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
