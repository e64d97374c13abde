"""`planreport site`: its pages, what they say, escaping, and rewriting only what changed."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from lxml import html as lxml_html

from planreport.plan import loading
from planreport.project import Project
from tests.conftest import ROOT, run_planreport
from tests.site_project import example_copy, hostile, site

LATER = date(2020, 12, 31)
BLOCKS = ("p", "div", "li", "dt", "dd", "h1", "h2", "h3", "td", "th", "br")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example repository's site, with two papers as `build` would have left them."""
    folder = example_copy(tmp_path_factory.mktemp("site") / "example")
    (folder / "build").mkdir()
    (folder / "build" / "stockton-ofsted-2013-09.pdf").write_bytes(b"%PDF-1.7 Stockton")
    (folder / "build" / "stockton-ofsted-2013-09.html").write_bytes(b"<p>Stockton</p>")
    result = site(folder)
    assert result.problems == []
    return folder / "build" / "site"


def page_text(path: Path) -> str:
    """A page's visible and screen-reader text, each element's words apart, spaces collapsed."""
    tree = lxml_html.fromstring(path.read_bytes())
    for gone in tree.xpath("//script | //style | //head"):
        gone.getparent().remove(gone)
    for element in tree.iter(*BLOCKS):
        element.text = " " + (element.text or "")
        element.tail = " " + (element.tail or "")
    return " ".join("".join(tree.itertext()).split())


def _actions(plan_id: str) -> int:
    """How many actions the example plan has."""
    source = Project(ROOT).plan_sources()[plan_id]
    return len(loading.load_plan(Project(ROOT), source).value.actions)


def test_every_kind_of_page_is_written(example: Path) -> None:
    for page in ("index.html", "papers.html", "search.html", "data.html", "accessibility.html"):
        assert (example / page).is_file(), page
    for plan_id in (
        "derby-cyp-improvement-2011",
        "nottingham-city-iicsa-2019",
        "nottinghamshire-iicsa-2019",
        "stockton-ofsted-2013",
    ):
        assert (example / "plans" / plan_id / "index.html").is_file()
        pages = list((example / "plans" / plan_id / "actions").glob("*.html"))
        assert len(pages) == _actions(plan_id)


def test_the_home_page_lists_every_plan_with_counts_by_status(example: Path) -> None:
    words = page_text(example / "index.html")
    assert "Example council action plans" in words
    assert "Children and Young People Improvement Plan" in words
    assert "81 actions:" in words
    assert "Blue: Completed 67" in words
    assert "What changed lately" in words


def test_an_action_page_has_its_whole_history(example: Path) -> None:
    page = example / "plans" / "stockton-ofsted-2013" / "actions" / "5-1.html"
    words = page_text(page)
    assert "Recommendation 5, action 1" in words
    assert "Due January 2014" in words
    assert "Originally due April 2013" in words
    assert (
        "Due date moved to January 2014. Reason: to meet new national Single Assessment guidance."
        in words
    )
    assert "August 2013 Progress update Revised timescale of January 2014" in words
    text = page.read_text(encoding="utf-8")
    assert 'id="main-content"' in text and 'href="#main-content"' in text


def test_an_action_page_links_the_papers_that_reported_on_its_plan(example: Path) -> None:
    page = example / "plans" / "stockton-ofsted-2013" / "actions" / "5-1.html"
    text = page.read_text(encoding="utf-8")
    assert 'href="../../../papers/stockton-ofsted-2013-09.pdf"' in text
    assert 'href="../../../papers/stockton-ofsted-2013-09.html"' in text
    assert (example / "papers" / "stockton-ofsted-2013-09.pdf").read_bytes() == b"%PDF-1.7 Stockton"


def test_the_papers_page_lists_papers_by_committee(example: Path) -> None:
    words = page_text(example / "papers.html")
    assert "CYP Select Committee" in words
    assert "18 September 2013" in words
    assert "Papers not naming a committee" in words
    assert "PDF of Action Plan in response" in words
    assert words.count("Not built yet: run planreport build") == 4


def test_narrowed_pages_work_without_javascript(example: Path) -> None:
    plan = example / "plans" / "derby-cyp-improvement-2011"
    amber = page_text(plan / "status-amber.html")
    assert "Actions with status: Amber: Slippage" in amber
    assert "1 action" in amber
    assert len(re.findall(r'class="action-card"', (plan / "status-amber.html").read_text())) == 1
    index = (plan / "index.html").read_text(encoding="utf-8")
    assert 'href="../../plans/derby-cyp-improvement-2011/status-amber.html"' in index
    for page in plan.glob("lead-*.html"):
        assert "action-card" in page.read_text(encoding="utf-8"), page.name


def test_action_pages_carry_schema_org_json_ld(example: Path) -> None:
    text = (example / "plans" / "stockton-ofsted-2013" / "actions" / "5-2.html").read_text()
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    data = json.loads(found.group(1))
    assert data["@type"] == "Action"
    assert data["actionStatus"] == "https://schema.org/CompletedActionStatus"
    assert data["description"] == "Review training needs and current training available ."


class _Refs(HTMLParser):
    """Every address a page loads (src, stylesheet links) and its CSP."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.csp: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if "src" in values:
            self.loads.append(values["src"])
        if tag == "link" and values.get("rel") == "stylesheet":
            self.loads.append(values["href"])
        if values.get("http-equiv") == "Content-Security-Policy":
            self.csp.append(values["content"])


def test_no_page_loads_anything_from_another_origin(example: Path) -> None:
    pages = list(example.rglob("*.html"))
    assert len(pages) > 150
    for page in pages:
        if page.parent.name == "papers":
            continue
        refs = _Refs()
        refs.feed(page.read_text(encoding="utf-8"))
        assert refs.csp and refs.csp[0].startswith("default-src 'self'; script-src 'self';")
        for address in refs.loads:
            assert not re.match(r"^[a-z]+:|^//", address), (page, address)
            assert (page.parent / address).resolve().is_file(), (page, address)
    css = (example / "assets" / "govuk-frontend.min.css").read_text(encoding="utf-8")
    assert "GDS Transport" not in css and "url(/assets" not in css


def test_plan_text_is_escaped_everywhere(tmp_path: Path) -> None:
    folder = hostile(tmp_path)
    assert site(folder, LATER).problems == []
    out = folder / "build" / "site"
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text, page
        assert "<b>well" not in text and "<i>Evil" not in text, page
        assert 'href="javascript:' not in text, page
    action = (out / "plans" / "hostile" / "actions" / "1.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in action
    assert "Hostile &amp; &lt;Co&gt;" in action
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', action, re.S).group(1)
    assert "</" not in ld and "<" not in ld
    assert "<script>alert(1)</script>" in json.loads(ld)["description"]


def test_the_same_plans_give_the_same_bytes(tmp_path: Path) -> None:
    folder = hostile(tmp_path / "p")
    site(folder, LATER, tmp_path / "p" / "one")
    site(folder, LATER, tmp_path / "p" / "two")
    one = {
        p.relative_to(tmp_path / "p" / "one"): p.read_bytes()
        for p in (tmp_path / "p" / "one").rglob("*")
        if p.is_file()
    }
    two = {
        p.relative_to(tmp_path / "p" / "two"): p.read_bytes()
        for p in (tmp_path / "p" / "two").rglob("*")
        if p.is_file()
    }
    assert one == two and len(one) > 20


def test_a_rebuild_rewrites_only_what_changed(tmp_path: Path) -> None:
    folder = hostile(tmp_path)
    first = site(folder, LATER)
    assert len(first.written) > 20 and first.unchanged == 0
    again = site(folder, LATER)
    assert again.written == [] and again.unchanged == len(first.written)
    plan = folder / "plans" / "hostile.yaml"
    plan.write_text(plan.read_text().replace("Done. -2+3", "Done and checked."), encoding="utf-8")
    changed = site(folder, LATER)
    out = folder / "build" / "site"
    written = sorted(str(p.relative_to(out)) for p in changed.written)
    assert "plans/hostile/actions/1.html" in written
    assert "plans/hostile/actions/2.html" not in written
    assert "accessibility.html" not in written and "assets/site.css" not in written
    assert "Done and checked." in (out / "plans" / "hostile" / "actions" / "1.html").read_text()


def test_a_page_no_longer_built_is_removed(tmp_path: Path) -> None:
    folder = hostile(tmp_path)
    site(folder, LATER)
    out = folder / "build" / "site"
    assert (out / "plans" / "hostile" / "actions" / "2.html").is_file()
    plan = folder / "plans" / "hostile.yaml"
    text = plan.read_text()
    plan.write_text(text[: text.index('  - ref: "2"')], encoding="utf-8")
    result = site(folder, LATER)
    assert out / "plans" / "hostile" / "actions" / "2.html" in result.removed
    assert not (out / "plans" / "hostile" / "actions" / "2.html").exists()


def test_a_plan_with_errors_is_left_out_and_reported(tmp_path: Path) -> None:
    folder = hostile(tmp_path)
    (folder / "plans" / "broken.yaml").write_text(
        "title: Broken\nactions:\n  - ref: '1'\n    text: No date.\n"
    )
    result = site(folder, LATER)
    assert result.left_out == ["broken"]
    assert result.failed
    assert any(
        str(p.location).endswith(("plans/broken.yaml:4:5", "plans/broken.yaml:3:5"))
        for p in result.problems
    ), [str(p.location) + p.message for p in result.problems]
    assert not (folder / "build" / "site" / "plans" / "broken").exists()


def test_an_impossible_site_date_is_a_located_error(tmp_path: Path) -> None:
    folder = hostile(tmp_path, "site:\n  as_at: 2026-02-30\n")
    result = run_planreport("site", cwd=folder)
    assert result.returncode == 1
    assert (
        "planreport.yaml:2:10: error: [date-impossible] '2026-02-30' is not a real date. "
        "Write a day that exists, e.g. 2026-11-30." in result.stdout
    )


def test_a_bad_site_colour_is_a_located_error(tmp_path: Path) -> None:
    folder = hostile(tmp_path, "site:\n  colour: red\n")
    result = run_planreport("site", "--as-at", "2020-12-31", cwd=folder)
    assert result.returncode == 1
    assert "planreport.yaml:2:11: error:" in result.stdout
    assert "Traceback" not in result.stderr + result.stdout


def test_the_command_builds_the_site_and_says_so(tmp_path: Path) -> None:
    folder = hostile(tmp_path)
    result = run_planreport("site", "--as-at", "2020-12-31", cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Built the site of 1 plan in ")
    assert "files written, 0 unchanged, 0 removed." in result.stdout
    again = run_planreport("site", "--as-at", "2020-12-31", cwd=folder)
    assert ": 0 files written," in again.stdout
    assert "Built the site of 1 plan in " in again.stdout


COUNCIL = """\
council:
  name: Derby City Council
site:
  colour: "#00703c"
  logo: templates/logo.svg
  logo_alt: Derby City Council logo
  licence: {name: Creative Commons Attribution 4.0, url: "https://creativecommons.org/licenses/by/4.0/"}
  accessibility:
    email: access@derby.example
    phone: 01332 000000
    compliance: partial
    non_accessible: Some older PDFs are not tagged.
    prepared: 2026-12-01
"""


def test_the_councils_name_colours_logo_licence_and_contact(tmp_path: Path) -> None:
    folder = hostile(tmp_path, COUNCIL)
    (folder / "templates").mkdir()
    logo = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    (folder / "templates" / "logo.svg").write_bytes(logo)
    assert site(folder, LATER).problems == []
    out = folder / "build" / "site"
    css = (out / "assets" / "site.css").read_text(encoding="utf-8")
    assert ":root { --site-brand: #00703C; --site-brand-text: #FFFFFF; }" in css
    assert (out / "assets" / "logo.svg").read_bytes() == logo
    home = (out / "index.html").read_text(encoding="utf-8")
    assert (
        '<img class="site-header__logo" src="assets/logo.svg" alt="Derby City Council logo">'
        in home
    )
    assert "Derby City Council action plans" in page_text(out / "index.html")
    statement = page_text(out / "accessibility.html")
    assert "This website is run by Derby City Council." in statement
    assert "email access@derby.example" in statement and "call 01332 000000" in statement
    assert (
        "This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due to the non-compliances listed below."
        in statement
    )
    assert "Some older PDFs are not tagged." in statement
    assert "This statement was prepared on 1 December 2026." in statement
    assert "Equality Advisory and Support Service (EASS)" in statement
    data = json.loads((out / "data" / "hostile.json").read_text(encoding="utf-8"))
    assert data["licence"] == {
        "name": "Creative Commons Attribution 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert "available under the Creative Commons Attribution 4.0" in page_text(out / "data.html")


def test_a_missing_logo_is_a_located_error(tmp_path: Path) -> None:
    folder = hostile(tmp_path, COUNCIL)
    result = site(folder, LATER)
    assert [p.rule for p in result.problems] == ["file-unreadable"]
    assert str(result.problems[0].location).endswith("/planreport.yaml:5:9")
    assert result.problems[0].message.startswith(
        "the logo 'templates/logo.svg': cannot read this file"
    )
    assert (folder / "build" / "site" / "index.html").is_file()
