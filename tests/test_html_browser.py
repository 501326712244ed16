"""The web page in a real browser (headless Chromium + axe-core) and in the Nu Html Checker.

Tools come from Debian (chromium, chromium-driver, default-jre-headless) and npm (axe-core,
vnu-jar, installed by ``.ci/run`` into ``node_modules/``). In CI (``CI`` set) a missing tool is
a failure; on a developer machine the tests are skipped with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from dicom_desktop.document import Document
from dicom_desktop.html.page import export_notice_html
from dicom_desktop.synthetic import generate_organisation

from .conftest import DICOM_FILE, REPO

NODE_MODULES = Path(os.environ.get("DICOM_NODE_MODULES", REPO / "node_modules"))
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else shutil.which("chromedriver")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = Path(os.environ.get("DICOM_SCREENSHOTS", REPO / "exports"))


def require(ok: bool, what: str) -> None:
    """Fail in CI, skip elsewhere: the checks must run on every CI run."""
    if ok:
        return
    message = f"{what} manquant (.ci/run l’installe : apt-get install chromium chromium-driver default-jre-headless ; npm install axe-core vnu-jar)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    dicom = folder / "dicom.html"
    export_notice_html(DICOM_FILE, dicom)
    large = folder / "org-1000.html"
    export_notice_html(Document.from_file_model(generate_organisation(1000)), large)
    from .test_html_export import hostile_doc

    hostile = folder / "hostile.html"
    export_notice_html(hostile_doc(), hostile)
    return {"dicom": dicom, "large": large, "hostile": hostile}


@pytest.fixture(scope="module")
def browser():
    require(bool(CHROMIUM) and bool(CHROMEDRIVER), "Chromium ou chromedriver (paquets Debian chromium, chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        require(False, "Selenium (pip install -e \".[test]\")")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--lang=fr-FR", "--allow-file-access-from-files"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    # axe-core on the 1,000-entity page (20,000 elements) takes minutes on a loaded CI machine:
    # neither the script nor the HTTP link to chromedriver may give up first (defaults: 30 s, 120 s).
    driver.set_script_timeout(900)
    driver.command_executor.client_config.timeout = 900
    yield driver
    driver.quit()


def run_axe(driver, page: Path) -> list[dict]:
    require(AXE.is_file(), f"axe-core ({AXE})")
    driver.get(page.as_uri())
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify(r.violations))).catch(e => done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])));",
        WCAG_TAGS,
    )
    return json.loads(result)


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']}: {v.get('help')} — {[n.get('target') for n in v.get('nodes', [])[:5]]}" for v in violations)


def test_axe_core_finds_no_wcag_a_or_aa_violation_on_the_dicom_page(browser, pages):
    violations = run_axe(browser, pages["dicom"])
    assert violations == [], describe(violations)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "notice-web-test.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000


def test_axe_core_finds_no_violation_on_a_1000_entity_page(browser, pages):
    violations = run_axe(browser, pages["large"])
    assert violations == [], describe(violations)


def test_tab_reaches_the_skip_link_first_then_the_tree_links_in_order(browser, pages):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get(pages["dicom"].as_uri())
    seen = []
    for _ in range(16):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        seen.append(browser.execute_script(
            "const a = document.activeElement; const s = getComputedStyle(a);"
            "return [a.getAttribute('href'), a.textContent.trim(), s.outlineStyle, s.outlineWidth,"
            " a.getBoundingClientRect().top >= 0];"))
    href, label, outline, width, on_screen = seen[0]
    assert (href, label) == ("#contenu", "Aller au contenu")
    assert outline != "none" and width != "0px" and on_screen, "the focused skip link must be visible"
    tree = [h for h, *_ in seen if h and h.startswith("#entite-")]
    assert tree[:3] == ["#entite-0", "#entite-1", "#entite-2"], seen
    # following the skip link moves the focus to the content
    browser.get(pages["dicom"].as_uri())
    ActionChains(browser).send_keys(Keys.TAB).send_keys(Keys.ENTER).perform()
    assert browser.execute_script("return document.activeElement.id") == "contenu"


def test_every_entity_of_the_tree_is_a_link_to_its_section(browser, pages):
    doc = Document.open(DICOM_FILE)
    browser.get(pages["dicom"].as_uri())
    found = browser.execute_script(
        "return [...document.querySelectorAll('li[id^=arbre-]')].map(li => {"
        " const a = li.querySelector('a'); const t = document.querySelector(a.getAttribute('href'));"
        " return [a.textContent, t && t.tagName, t && t.querySelector('h3,h4,h5,h6').textContent]; });")
    names = [doc.graph.entity(e).name for e in doc.graph.preorder()]
    assert [f[0] for f in found] == names
    assert all(tag == "SECTION" and heading == name for name, tag, heading in found)


def test_nu_html_checker_reports_no_error(pages):
    java = shutil.which("java")
    require(bool(java), "Java (paquet Debian default-jre-headless)")
    require(VNU.is_file(), f"vnu-jar ({VNU})")
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                             str(pages["dicom"]), str(pages["large"]), str(pages["hostile"])],
                            capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    assert messages == [], messages[:10]
