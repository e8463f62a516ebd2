"""The report as PDF: the HTML report printed by headless Chromium (``plotwatch report --format pdf``).

Printing the HTML keeps everything the report has (tables, inline SVG charts,
the map, links) without a second layout engine. Chromium is found as
``--chromium PATH``, else ``$PLOTWATCH_CHROMIUM``, else ``chromium``,
``chromium-browser``, ``google-chrome`` on the PATH; without one the error
says what to install. It runs with a throwaway profile and without network
features; the report itself loads nothing from elsewhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from plotwatch.errors import PlotwatchError

__all__ = ["ChromiumMissing", "find_chromium", "html_to_pdf"]

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ["--headless", "--disable-gpu", "--no-sandbox", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-extensions", "--no-pdf-header-footer",
         "--run-all-compositor-stages-before-draw"]  # fmt: skip
TIMEOUT = 180


class ChromiumMissing(PlotwatchError):
    """No Chromium to print with."""


def find_chromium(explicit: str | None = None) -> str:
    """The Chromium executable to print with; ChromiumMissing names what to install when there is none."""
    chosen = explicit or os.environ.get("PLOTWATCH_CHROMIUM")
    if chosen:
        found = shutil.which(chosen)
        if not found:
            raise ChromiumMissing(f"{chosen}: no such executable (from --chromium or PLOTWATCH_CHROMIUM)")
        return found
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumMissing("PDF output prints the HTML report with headless Chromium, and none was found on the PATH "
                          f"({', '.join(NAMES)}): install it (Debian: apt-get install chromium), pass --chromium PATH, "
                          "or write HTML (--format html) and print that")  # fmt: skip


def html_to_pdf(html: str, out: Path, chromium: str | None = None) -> int:
    """Print ``html`` (a self-contained page) to the PDF file ``out`` with headless Chromium; returns its size."""
    binary = find_chromium(chromium)
    with tempfile.TemporaryDirectory(prefix="plotwatch-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        target = out.resolve()
        command = [binary, *FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={target}",
                   page.as_uri()]  # fmt: skip
        target.unlink(missing_ok=True)
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise PlotwatchError(f"{binary} did not print the report within {TIMEOUT} s") from None
    if done.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise PlotwatchError(f"{out}: {binary} could not print the report (exit {done.returncode}): "
                             + (" / ".join(detail) or "no message"))
    return target.stat().st_size
