"""Take the README's screenshot: the example nurse's Today on a landscape tablet.

Run it against the seeded demo (``scripts/dev run`` in another terminal):

    .venv/bin/python scripts/screenshot.py [http://127.0.0.1:8000]

It drives Debian's headless chromium at 1180 x 820 and writes ``docs/screenshot.png``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
EXAMPLE_LOGIN = ("amara@riverside.example", "patch-demo-2026")
TODAY = "/t/riverside/today/"
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshot.png"


def take(server: str, out: Path = OUT) -> None:
    """Log in as the example nurse, open Today at 1180 x 820 and save what the screen shows."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1180, "height": 820}, has_touch=True)
        page.goto(f"{server}/login/")
        page.get_by_label("Email address").fill(EXAMPLE_LOGIN[0])
        page.get_by_label("Password").fill(EXAMPLE_LOGIN[1])
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        page.goto(f"{server}{TODAY}")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(out))
        browser.close()


if __name__ == "__main__":
    take(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
