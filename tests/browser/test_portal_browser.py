"""The review portal in headless Chromium, as a person uses it: a real server (uvicorn on a free loopback port, SQLite
in a temporary folder), an applicant who creates a project and uploads two revisions through the file input, the
comparison, an officer who waives a finding and signs off, the review opinion, and another applicant refused."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the portal extra is not installed (pip install -e '.[portal]')")
pytest.importorskip("uvicorn", reason="the portal extra is not installed (pip install -e '.[portal]')")

from checker.portal.settings import PortalSettings  # noqa: E402
from checker.portal.users import add_user  # noqa: E402
from checker.portal.web import create_app  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[2] / "sample_models"
PASSWORD = "correct-horse-battery"
BUILDING = "0hEbSnznDKh8jLqKO0J1za"  # the building of prefab-fail-government.ifc
VERDICT_TIMEOUT_S = 120


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def portal_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`greencheck serve` in a thread: the app uvicorn runs, on SQLite in a fresh data folder, with three users."""
    import uvicorn

    settings = PortalSettings(data_dir=tmp_path_factory.mktemp("portal-data"), jobs=2, poll_interval_s=0.1)
    add_user(settings, "alice", PASSWORD, "applicant", "Alice Wang", "Tongzhou Development Co.")
    add_user(settings, "olga", PASSWORD, "officer", "Olga Zhao", "Sub-center review office")
    add_user(settings, "mallory", PASSWORD, "applicant", "Mallory", "Elsewhere Ltd")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="portal-under-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the portal did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


def _revised_model(folder: Path) -> Path:
    """Revision 2: the prefab-compliant sample re-exported with r1's building GlobalId, so rules match one to one."""
    data = (SAMPLES / "prefab-pass-public-aa.ifc").read_bytes().replace(b"3erMXfi6fJcA2MvLBMNiOH", BUILDING.encode())
    path = folder / "district-service-hall-r2.ifc"
    path.write_bytes(data)
    return path


class Person:
    """The browser driven as one person: sign in, fill forms, wait for a page."""

    def __init__(self, browser: Any, base: str) -> None:
        self.browser, self.base = browser, base

    def find(self, css: str) -> Any:
        from selenium.webdriver.common.by import By

        return self.browser.find_element(By.CSS_SELECTOR, css)

    def open(self, path: str) -> None:
        self.browser.get(self.base + path)

    def sign_in(self, username: str) -> None:
        self.browser.delete_all_cookies()
        self.open("/login")
        self.find('input[name="username"]').send_keys(username)
        self.find('input[name="password"]').send_keys(PASSWORD)
        self.find('form[action="/login"] button[type="submit"]').click()
        self.wait_for(lambda: self.path() == "/", "the projects page after signing in")

    def sign_out(self) -> None:
        self.find('form[action="/logout"] button').click()
        self.wait_for(lambda: self.path() == "/login", "the sign-in page after signing out")

    def path(self) -> str:
        return str(self.browser.current_url).removeprefix(self.base).split("?", 1)[0].split("#", 1)[0]

    def wait_for(self, condition: Callable[[], bool], what: str, timeout_s: float = 20) -> None:
        from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

        deadline = time.monotonic() + timeout_s
        while True:
            try:
                if condition():
                    return
            except (NoSuchElementException, StaleElementReferenceException):
                pass  # the page is reloading itself (meta refresh)
            assert time.monotonic() < deadline, f"timed out waiting for {what} at {self.browser.current_url}"
            time.sleep(0.2)

    def verdict(self) -> str:
        return str(self.find("#verdict").get_attribute("data-verdict"))

    def upload(self, project_path: str, model: Path) -> str:
        """Upload `model` through the file input; the revision page's verdict once the check is done."""
        self.open(project_path)
        self.find('#upload-form input[type="file"]').send_keys(str(model))
        self.find('#upload-form textarea[name="note"]').send_keys(f"upload of {model.name}")
        self.find('#upload-form button[type="submit"]').click()
        self.wait_for(lambda: "/r/" in self.path(), "the revision page")
        self.wait_for(lambda: self.verdict() != "pending", "the verdict", VERDICT_TIMEOUT_S)
        return self.verdict()


def _screenshot(browser: Any, folder: Path, name: str) -> None:
    assert browser.save_screenshot(str(folder / f"portal-{name}-1400x900.png"))


def test_upload_compare_waive_sign_off_and_refuse(
    browser: Any, portal_url: str, screenshot_dir: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    metrics = {"width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": False}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    person = Person(browser, portal_url)

    person.sign_in("alice")
    person.find("#new-project").click()
    person.find('input[name="name"]').send_keys("District Service Hall 区政务服务中心")
    person.find('input[name="code"]').send_keys("TZ-2025-017")
    person.find('input[name="design_unit"]').send_keys("BIAD Studio 3")
    person.find('#new-project-form button[type="submit"]').click()
    # the form itself is at /projects/new: wait for the project's own page, /projects/<id>
    person.wait_for(lambda: re.fullmatch(r"/projects/\d+", person.path()) is not None, "the new project's page")
    project = person.path()
    assert person.find("#project-name").text == "District Service Hall 区政务服务中心"

    assert person.upload(project, SAMPLES / "prefab-fail-government.ifc") == "non_compliant"
    assert person.path() == f"{project}/r/1"
    assert browser.find_elements(By.CSS_SELECTOR, 'tr.finding[data-rule="BJ-PREFAB-001"][data-status="fail"]')
    assert person.upload(project, _revised_model(tmp_path)) == "non_compliant"
    _screenshot(browser, screenshot_dir, "revision-zh")

    person.find("#compare-link").click()
    person.wait_for(lambda: person.path() == f"{project}/compare", "the comparison")
    fixed = person.find('[data-group="fixed"]').text
    assert "BJ-PREFAB-001" in fixed and "BJ-PREFAB-005" in fixed and "33.5 % → 81.3 %" in fixed
    assert "BJ-PV-001" in person.find('[data-group="still_fail"]').text
    _screenshot(browser, screenshot_dir, "compare-zh")
    person.sign_out()

    person.sign_in("olga")
    person.open(f"{project}/r/2")
    row = person.find(f'tr.finding[data-rule="BJ-PV-001"][data-building="{BUILDING}"]')
    row.find_element(By.CSS_SELECTOR, "details.waive summary").click()
    row.find_element(By.CSS_SELECTOR, 'input[name="reason"]').send_keys("PV on the annex roof, phase 2")
    row.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
    person.wait_for(
        lambda: person.find('tr.finding[data-rule="BJ-PV-001"]').get_attribute("data-accepted") == "1", "the waiver"
    )
    assert "PV on the annex roof, phase 2" in person.find('tr.finding[data-rule="BJ-PV-001"]').text
    Select(person.find('#signoff-form select[name="decision"]')).select_by_value("approved_with_conditions")
    person.find('#signoff-form textarea[name="opinion"]').send_keys("光伏于二期补充。Add the PV of phase 2.")
    person.find('#signoff-form button[type="submit"]').click()
    person.wait_for(lambda: bool(browser.find_elements(By.ID, "signoff-record")), "the sign-off record")
    sha256 = person.find('[data-field="report-sha256"]').text
    assert len(sha256) == 64 and not browser.find_elements(By.ID, "signoff-form")

    person.find("#opinion-link").click()
    person.wait_for(lambda: person.path() == f"{project}/r/2/opinion", "the review opinion")
    assert person.find("h1").text == "绿色建筑 BIM 审查意见书"
    assert person.find("#opinion-decision").get_attribute("data-decision") == "approved_with_conditions"
    assert person.find("#opinion-report-sha256").text == sha256
    assert "District Service Hall 区政务服务中心" in person.find("#opinion-project").text
    _screenshot(browser, screenshot_dir, "opinion-zh")
    person.open(f"{project}/r/2")
    browser.get_log("browser")  # drop what was logged so far
    person.find('a[data-format="view"]').click()  # the HTML report inline, under its own policy
    person.wait_for(lambda: "/report.html" in str(browser.current_url), "the inline report")
    assert "district-service-hall-r2.ifc" in person.find("header").text
    refusals = [
        entry["message"] for entry in browser.get_log("browser") if "Content Security Policy" in entry["message"]
    ]
    assert refusals == []  # its inline script is allowed by hash, nothing else was attempted
    person.open(f"{project}/r/2")
    person.sign_out()

    person.sign_in("mallory")
    assert "District Service Hall" not in person.find("main").text
    for path in (project, f"{project}/r/2", f"{project}/r/2/opinion"):
        person.open(path)
        assert "(404)" in person.find("h1").text, path
        assert "District Service Hall" not in browser.page_source
