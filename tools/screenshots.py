"""Screenshots of app pages at projector (1280x720) and desktop (1440x900) size.

    python tools/screenshots.py --url http://127.0.0.1:8501 [--out docs/screenshots] [PATH?QUERY[#HEADING] ...]

Takes the viewport as a user sees it (no scrolling), which is what the
"figures first" check is about; with `#HEADING` the page is first scrolled to
the heading that starts with that text (e.g. `#Trechter`), as a user would. Uses Debian's chromium via Playwright, like the
end-to-end tests.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.helpers import CHROMIUM, CHROMIUM_ARGS, wait_rendered  # noqa: E402

SIZES = {"1280x720": (1280, 720), "1440x900": (1440, 900)}
DEFAULT_VIEWS = [
    "/kerncijfers?region=GM0363&period=2023HJ01",
    "/veiligheid?region=GM0363&period=2023HJ01",
    "/overdrachten?region=GM0363&period=2023HJ01",
]


def name_of(view: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", view.lower()).strip("-")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("views", nargs="*", default=DEFAULT_VIEWS)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in args.sizes.split(","):
            width, height = SIZES[size]
            page = browser.new_page(viewport={"width": width, "height": height})
            for view in args.views:
                view, _, heading = view.partition("#")
                page.goto(args.url.rstrip("/") + view, wait_until="domcontentloaded")
                wait_rendered(page)
                page.wait_for_timeout(1500)  # maps draw after the run
                if heading:
                    page.locator("h1, h2, h3", has_text=heading).first.scroll_into_view_if_needed()
                    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollBy(0, 0)")
                    wait_rendered(page)
                query = name_of(view.split("?")[1]) if "?" in view else "start"
                suffix = f"-{name_of(heading)}" if heading else ""
                target = out / f"{name_of(view.split('?')[0])}-{query}{suffix}-{size}.png"
                page.screenshot(path=str(target))
                print(target)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
