"""The batch dashboard (index.html) in headless Chromium: sorting by a header, filtering by verdict and family, a
complete table with JavaScript off, no horizontal scroll at 360 px, no network request, a screenshot."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from checker.batch.dashboard import render_dashboard
from checker.batch.engine import BatchOptions, batch_formats, run_batch
from checker.batch.summary import BatchSummary
from checker.rules.schema import Ruleset

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "sample_models"
SAMPLES = [
    "pass-public-office.ifc",  # compliant, 21,600 m2
    "fail-residential-one-star.ifc",  # non-compliant, 8,000 m2
    "unknown-missing-data.ifc",  # incomplete, area unknown
    "mixed-two-buildings.ifc",  # two buildings: two rows
    "prefab-fail-government.ifc",
]
LANGS = ("zh", "en")


@pytest.fixture(scope="module")
def dashboards(ruleset: Ruleset, tmp_path_factory: pytest.TempPathFactory) -> tuple[BatchSummary, dict[str, Path]]:
    base = tmp_path_factory.mktemp("dashboard")
    models = base / "models"
    models.mkdir()
    for name in SAMPLES:
        shutil.copyfile(SAMPLES_DIR / name, models / name)
    (models / "broken.ifc").write_text("not a model", encoding="utf-8")
    out = base / "out"
    options = BatchOptions(out=out, formats=batch_formats(["html"]), lang="en", jobs=2)
    summary = run_batch([models], ruleset, options, lambda exc, subject: f"{type(exc).__name__}: {exc}")
    pages = {}
    for lang in LANGS:
        pages[lang] = out / f"index-{lang}.html"
        pages[lang].write_bytes(render_dashboard(summary.model_copy(update={"lang": lang})))
    return summary, pages


def _open(browser: Any, path: Path, width: int, javascript: bool = True) -> None:
    metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": not javascript})
    browser.get(path.as_uri())


def _visible_rows(browser: Any) -> list[Any]:
    from selenium.webdriver.common.by import By

    return [row for row in browser.find_elements(By.CSS_SELECTOR, "#models tbody tr") if row.is_displayed()]


def _row_count(summary: BatchSummary) -> int:
    return sum(max(1, len(model.buildings)) for model in summary.models)


def test_sort_by_area(browser: Any, dashboards: tuple[BatchSummary, dict[str, Path]]) -> None:
    from selenium.webdriver.common.by import By

    summary, pages = dashboards
    _open(browser, pages["en"], 1400)
    header = browser.find_element(By.CSS_SELECTOR, 'th[data-key="area"]')
    header.find_element(By.TAG_NAME, "button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    areas = browser.execute_script(
        "return Array.from(document.querySelectorAll('#models tbody tr:not(.error) td.num[data-sort]'))"
        ".filter(td => td.cellIndex === 3).map(td => td.dataset.sort)"
    )
    known = [float(value) for value in areas if value]
    expected = sorted(b.above_ground_area for m in summary.models for b in m.buildings if b.above_ground_area)
    assert known == expected and 8000.0 in known and 21600.0 in known
    assert areas[: areas.count("")] == [""] * areas.count("")  # unknown areas sort first, before every figure
    header.find_element(By.TAG_NAME, "button").click()
    assert header.get_attribute("aria-sort") == "descending"
    first = browser.find_element(By.CSS_SELECTOR, "#models tbody tr:not(.error) td.num").get_attribute("data-sort")
    assert float(first) == max(expected)


def test_filter_by_verdict_family_and_text(browser: Any, dashboards: tuple[BatchSummary, dict[str, Path]]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    summary, pages = dashboards
    _open(browser, pages["en"], 1400)
    assert len(_visible_rows(browser)) == _row_count(summary)
    Select(browser.find_element(By.ID, "f-verdict")).select_by_value("non_compliant")
    rows = _visible_rows(browser)
    wanted = [b for m in summary.models for b in m.buildings if b.verdict == "non_compliant"]
    assert len(rows) == len(wanted) >= 2
    assert {row.get_attribute("data-verdict") for row in rows} == {"non_compliant"}
    assert browser.find_element(By.ID, "shown").text == str(len(wanted))
    Select(browser.find_element(By.ID, "f-family")).select_by_value("pv")
    pv_fails = [b for m in summary.models for b in m.buildings if b.families["pv"] == "non_compliant"]
    assert len(_visible_rows(browser)) == len(pv_fails)
    Select(browser.find_element(By.ID, "f-family")).select_by_value("")
    Select(browser.find_element(By.ID, "f-verdict")).select_by_value("error")
    assert [row.text.split("\n")[0] for row in _visible_rows(browser)][0].startswith("broken.ifc")
    Select(browser.find_element(By.ID, "f-verdict")).select_by_value("")
    browser.find_element(By.ID, "f-text").send_keys("Riverside")
    assert [row.get_attribute("data-verdict") for row in _visible_rows(browser)] == ["non_compliant"]


def test_complete_table_with_javascript_off(browser: Any, dashboards: tuple[BatchSummary, dict[str, Path]]) -> None:
    from selenium.webdriver.common.by import By

    summary, pages = dashboards
    _open(browser, pages["zh"], 1400, javascript=False)
    assert len(_visible_rows(browser)) == _row_count(summary)
    assert not browser.find_element(By.ID, "filters").is_displayed()
    assert "合规" in browser.find_element(By.ID, "models").text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [360, 1400])
def test_no_horizontal_scroll(
    browser: Any, dashboards: tuple[BatchSummary, dict[str, Path]], lang: str, width: int
) -> None:
    _open(browser, dashboards[1][lang], width)
    scroll_width, inner_width = browser.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert inner_width == width and scroll_width <= inner_width


@pytest.mark.parametrize("lang", LANGS)
def test_no_network_request(browser: Any, dashboards: tuple[BatchSummary, dict[str, Path]], lang: str) -> None:
    _open(browser, dashboards[1][lang], 1400)
    fetched = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert [url for url in fetched if not url.startswith("data:")] == []


@pytest.mark.parametrize("lang", LANGS)
def test_screenshot(
    browser: Any, dashboards: tuple[BatchSummary, dict[str, Path]], screenshot_dir: Path, lang: str
) -> None:
    from selenium.webdriver.common.by import By

    for width in (1400, 360):
        _open(browser, dashboards[1][lang], width)
        target = screenshot_dir / f"dashboard-{lang}-{width}x900.png"
        assert browser.save_screenshot(str(target))
        assert target.stat().st_size > 10_000
    assert browser.find_element(By.ID, "indicator-new-area-two-star").is_displayed()
