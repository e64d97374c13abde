"""The `site:` section of planreport.yaml, typed with its defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from planreport.plan.config import Config
from planreport.problems import Problems

OGL = (
    "Open Government Licence v3.0",
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
)
DEFAULT_COLOUR = "#1D70B8"
ENFORCEMENT = (
    "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public "
    "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 "
    "(the 'accessibility regulations'). If you're not happy with how we respond to your "
    "complaint, contact the Equality Advisory and Support Service (EASS)."
)
TESTED = (
    "Every kind of page on this website is tested each time it is built: in a real browser "
    "(Chromium) at 320, 390 and 1280 pixels wide, with the axe-core accessibility engine "
    "against WCAG 2.2 levels A and AA, and for scrolling, focus, headings and skip links."
)


@dataclass(frozen=True)
class Accessibility:
    """What the accessibility statement says that only the council knows."""

    email: str | None = None
    phone: str | None = None
    response_days: int = 10
    enforcement: str = ENFORCEMENT
    compliance: str = "full"
    non_accessible: str | None = None
    prepared: date | None = None
    reviewed: date | None = None
    tested: str = TESTED


@dataclass(frozen=True)
class Settings:
    """The site's settings: planreport.yaml's `site:` with every default filled in."""

    council: str
    title: str
    url: str | None = None
    colour: str = DEFAULT_COLOUR
    logo: str | None = None
    logo_alt: str = ""
    recent_days: int = 90
    as_at: date | None = None
    licence: tuple[str, str] = OGL
    accessibility: Accessibility = Accessibility()


def from_config(config: Config, problems: Problems) -> Settings:
    """The site's settings from the checked configuration (the schema has typed each value)."""
    site: dict[str, Any] = config.section("site")
    council = config.council.name or "The council"
    access = dict(site.get("accessibility") or {})
    for key in ("prepared", "reviewed"):
        if key in access:
            access[key] = _day(config, problems, "accessibility", key)
    licence = site.get("licence")
    return Settings(
        council=council,
        title=site.get("title") or f"{council} action plans",
        url=site.get("url"),
        colour=site.get("colour", DEFAULT_COLOUR).upper(),
        logo=site.get("logo"),
        logo_alt=site.get("logo_alt") or council,
        recent_days=site.get("recent_days", 90),
        as_at=_day(config, problems, "as_at") if "as_at" in site else None,
        licence=(licence["name"], licence["url"]) if licence else OGL,
        accessibility=Accessibility(**access),
    )


def _day(config: Config, problems: Problems, *path: str) -> date | None:
    """A day the schema has seen is written YYYY-MM-DD; None, reported, if it is not real."""
    value: Any = config.section("site")
    for key in path:
        value = value[key]
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.error(
            config.where("site", *path),
            "date-impossible",
            f"'{value}' is not a real date. Write a day that exists, e.g. 2026-11-30.",
        )
        return None
