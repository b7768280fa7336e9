"""Render report.html in headless Chromium to a PNG, to look at it as a reader would.

    python -m reports.screenshot results/nanjing/report.html report.png [--width 1280]
                                 [--height 2400]

Needs a Chromium or Chrome binary (Debian: `apt-get install chromium fonts-noto-cjk`; the fonts
draw the Chinese city names). The page itself needs no network; Chromium is started with its
background networking off.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_browser() -> str | None:
    """Path of the first Chromium-like browser on PATH, or None."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def screenshot(
    html: Path, png: Path, width: int = 1280, height: int = 2400, timeout: float = 60.0
) -> Path:
    """Open `html` in headless Chromium at `width` × `height` px and save the view as `png`."""
    browser = find_browser()
    if browser is None:
        raise FileNotFoundError("no Chromium found: apt-get install chromium fonts-noto-cjk")
    png = png.resolve()
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="report-browser-") as profile:
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            f"--screenshot={png}",
            html.resolve().as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if not png.exists():
        raise RuntimeError(f"Chromium wrote no screenshot (exit {done.returncode}): {done.stderr}")
    return png


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m reports.screenshot", description=__doc__)
    p.add_argument("html", type=Path)
    p.add_argument("png", type=Path)
    p.add_argument("--width", type=int, default=1280)
    p.add_argument("--height", type=int, default=2400)
    args = p.parse_args(argv)
    try:
        print(screenshot(args.html, args.png, args.width, args.height))
    except (FileNotFoundError, RuntimeError, subprocess.TimeoutExpired) as err:
        print(f"no screenshot: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
