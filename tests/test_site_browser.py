"""The site in a real browser: no WCAG 2.2 A or AA violation axe-core can find, anywhere.

Every kind of page at phone and desktop widths: pages never scroll sideways at 320 px; no
word in a table breaks mid-word; skip link, landmarks, headings in order, visible focus,
statuses in words; nothing loaded from another origin; narrowing and search work.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from tests import marks
from tests.browser import BROKEN_WORDS, PAGE_FACTS, WIDTHS, axe_violations, chromium, served
from tests.site_project import example_copy, site

PAGES = {
    "home": "index.html",
    "plan": "plans/derby-cyp-improvement-2011/index.html",
    "narrowed": "plans/derby-cyp-improvement-2011/status-green.html",
    "action": "plans/stockton-ofsted-2013/actions/5-1.html",
    "action-milestones": "plans/nottinghamshire-iicsa-2019/actions/1.html",
    "papers": "papers.html",
    "search": "search.html?q=audit",
    "data": "data.html",
    "accessibility": "accessibility.html",
}


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    """A headless Chromium and the example site's address on localhost."""
    folder = example_copy(tmp_path_factory.mktemp("browser") / "example")
    (folder / "build").mkdir()
    (folder / "build" / "stockton-ofsted-2013-09.pdf").write_bytes(b"%PDF-1.7 Stockton")
    assert site(folder).problems == []
    with served(folder / "build" / "site") as address, chromium(folder / "chromium") as driver:
        yield driver, address


def _open(browser: tuple[Any, str], page: str, width: int) -> Any:
    """The page shown at this width; the driver."""
    driver, address = browser
    driver.set_window_size(width, 900)
    driver.get(address + PAGES[page])
    return driver


@marks.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_no_accessibility_violation(browser: tuple[Any, str], page: str, width: int) -> None:
    driver = _open(browser, page, width)
    assert axe_violations(driver) == []
    facts = driver.execute_script(PAGE_FACTS)
    if width == 320:
        assert facts["scroll"] <= facts["width"], "the page scrolls sideways at 320 px"
    assert facts["landmarks"] == ["header", "nav", "main", "footer"]
    headings = facts["headings"]
    assert headings[0] == 1 and headings.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(headings)), headings
    assert all(facts["statuses"]), "a status shown by colour alone"
    assert all(r.startswith(facts["origin"] + "/") for r in facts["resources"]), facts["resources"]


@marks.browser
@pytest.mark.parametrize("page", sorted(PAGES))
def test_no_word_breaks_mid_word_at_390(browser: tuple[Any, str], page: str) -> None:
    driver = _open(browser, page, 390)
    assert driver.execute_script(BROKEN_WORDS, "td, th, .action-card, .govuk-summary-list") == []


@marks.browser
def test_the_skip_link_comes_first_and_focus_is_visible(browser: tuple[Any, str]) -> None:
    from selenium.webdriver.common.keys import Keys

    driver = _open(browser, "plan", 390)
    body = driver.find_element("tag name", "body")
    body.send_keys(Keys.TAB)
    focused = driver.switch_to.active_element
    assert focused.text == "Skip to main content"
    assert focused.get_attribute("href").endswith("#main-content")
    style = driver.execute_script(
        "const s = getComputedStyle(document.activeElement);"
        "return [s.outlineStyle, s.boxShadow, s.backgroundColor];"
    )
    assert style[0] != "none" or style[1] != "none", style
    focused.send_keys(Keys.ENTER)
    assert driver.execute_script("return location.hash") == "#main-content"
    link = driver.find_element("css selector", ".action-card a")
    driver.execute_script("arguments[0].focus()", link)
    shadow = driver.execute_script("return getComputedStyle(document.activeElement).boxShadow")
    background = driver.execute_script(
        "return getComputedStyle(document.activeElement).backgroundColor"
    )
    assert shadow != "none" and background == "rgb(255, 221, 0)"


@marks.browser
def test_narrowing_a_plan_in_place_with_javascript(browser: tuple[Any, str]) -> None:
    from selenium.webdriver.support.ui import Select

    driver = _open(browser, "plan", 1280)
    assert driver.find_element("id", "narrow-links").is_displayed() is False
    Select(driver.find_element("id", "narrow-status")).select_by_value("amber")
    shown = [c for c in driver.find_elements("css selector", ".action-card") if c.is_displayed()]
    assert [c.find_element("css selector", "h3").text for c in shown] == ["Action 19.1"]
    assert driver.find_element("id", "shown-count").text == "Showing 1 of 81 actions."


@marks.browser
def test_searching_actions_in_the_browser(browser: tuple[Any, str]) -> None:
    driver = _open(browser, "search", 1280)
    status = driver.find_element("id", "search-status").text
    results = driver.find_elements("css selector", "#search-results li")
    assert status == f"{len(results)} actions found for ‘audit’."
    assert len(results) > 5
    first = results[0].find_element("css selector", "a")
    assert "audit" in results[0].text.lower()
    first.click()
    assert "/actions/" in driver.current_url


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    """Chromium and the Derby paper's web page (1,388 words broke mid-word at 390 px)."""
    from planreport.commands.build import Options, build
    from planreport.project import Project
    from tests.conftest import ROOT

    folder = tmp_path_factory.mktemp("paper")
    options = Options(
        out=folder / "out",
        paper_ids=("derby-cyp-improvement-2011-12",),
        formats=("html",),
        force=True,
    )
    assert not build(Project(ROOT), options).failed
    with served(folder / "out") as address, chromium(folder / "chromium") as driver:
        yield driver, address + "derby-cyp-improvement-2011-12.html"


@marks.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_a_papers_web_page_keeps_its_words_whole(paper: tuple[Any, str], width: int) -> None:
    driver, address = paper
    driver.set_window_size(width, 900)
    driver.get(address)
    assert axe_violations(driver) == []
    facts = driver.execute_script(PAGE_FACTS)
    assert facts["scroll"] <= facts["width"], "the paper scrolls sideways"
    assert driver.execute_script(BROKEN_WORDS, "td, th") == []
    regions = driver.find_elements("css selector", "div.table-region[role=region][tabindex='0']")
    assert len(regions) == len(driver.find_elements("tag name", "table")) > 5
    skip = driver.find_element("css selector", "a.skip-link")
    assert skip.get_attribute("href").endswith("#main") and driver.find_element("id", "main")
