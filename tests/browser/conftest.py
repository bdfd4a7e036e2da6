"""One headless Chromium per session, driven through the system chromedriver (never a downloaded one).

The browser tests skip, saying why, when selenium, chromium or chromedriver is absent, so a developer without them
can still run the suite; CI installs all three (.ci/run).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from checker.report.html import HtmlReporter
from checker.rules.results import CheckRun

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Reports of bundled samples: a model with prefab fails (6 fails in all) and one whose prefab rules pass.
SAMPLES = {"fail": "prefab-fail-government.ifc", "pass": "prefab-pass-public-aa.ifc"}
LANGS = ("zh", "en")
SCREENSHOT_DIR = Path(os.environ.get("GREENCHECK_SCREENSHOTS", Path(__file__).parents[2] / "reports" / "screenshots"))


def _browser_missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.exists():
            return f"{path} is absent (apt-get install chromium chromium-driver fonts-noto-cjk, as .ci/run does)"
    return None


def _start(profile: str) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """The session's only Chromium; tests switch JavaScript off and on through the DevTools protocol."""
    reason = _browser_missing()
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")
    profile = tempfile.mkdtemp(prefix="greencheck-chromium-")
    driver = _start(profile)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def report_files(checked: Callable[[str], CheckRun], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each sample's HTML report in each language, keyed "fail-zh", "pass-en" and so on."""
    out = tmp_path_factory.mktemp("browser-reports")
    files = {}
    for kind, sample in SAMPLES.items():
        run = checked(sample)
        for lang in LANGS:
            path = out / f"{Path(sample).stem}-{lang}.html"
            path.write_bytes(HtmlReporter().render(run, lang))
            files[f"{kind}-{lang}"] = path
    return files


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR
