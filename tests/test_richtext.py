"""Plan text is read as the small Markdown subset the plan format promises."""

from __future__ import annotations

import pytest

from planreport.plan import richtext
from planreport.plan.richtext import Bullets, Para, Rich, Run

# Text read without markdown-it (one line with nothing Markdown acts on) must come out as
# markdown-it would make it; and text that looks plain but is not must still be parsed.
TEXTS = [
    "Review the safeguarding arrangements.",
    "Health & Safety Executive (HSE) – report by 2014/15 Q3",
    "#1 priority: 100% of staff trained; ~50 sessions | more!",
    "1.10",
    "Action 1. Do it",
    "1. Do it",
    "2) Do it",
    "- a bullet",
    "+ a bullet",
    "* a bullet",
    "-not a bullet",
    "a  double  space",
    "  indented",
    "trailing ",
    "\u00a0non-breaking at the start",
    "**bold**",
    "snake_case_name",
    "a [link](https://example.org)",
    "a note[^1]",
    "<https://example.org>",
    "a \\* star",
    "`code`",
    "two\nlines",
    "&amp; stays as written",
]


@pytest.mark.parametrize("text", TEXTS)
def test_plain_text_is_read_as_markdown_it_reads_it(text: str) -> None:
    assert richtext.parse(text) == richtext._parse(text)


def test_markup_is_still_parsed() -> None:
    assert richtext.parse("Do **this** now") == Rich(
        (Para((Run("Do "), Run("this", bold=True), Run(" now"))),)
    )
    assert richtext.parse("- one\n- two") == Rich(
        (Bullets(((Para((Run("one"),)),), (Para((Run("two"),)),))),)
    )
    assert richtext.parse("1. Do it") == richtext._parse("1. Do it") != richtext.plain("1. Do it")


def test_a_markdown_file_wraps_lines_where_its_editor_did() -> None:
    """A cover report's lines within a paragraph are joined; plan text keeps its breaks."""
    from planreport.plan.richtext import parse

    assert parse("Ofsted inspected in May\n2011 and made 24.", breaks=False).plain() == (
        "Ofsted inspected in May 2011 and made 24."
    )
    assert parse("**Blue**\ncompleted", breaks=False).plain() == "Blue completed"
    assert parse("Line one  \nline two", breaks=False).plain() == "Line one\nline two"
    assert parse("Line one\nline two").plain() == "Line one\nline two"  # a YAML | block


def _printed(text: str) -> str:
    """Markdown as a paper prints it."""
    (para,) = richtext.parse(text).blocks
    return "".join(run.text for run in richtext.printed(para.runs))


def test_a_link_is_printed_with_its_address_after_its_text() -> None:
    url = "https://www.iicsa.org.uk/reports-recommendations"
    assert _printed(f"[The full report can be found here]({url}).") == (
        f"The full report can be found here ({url})."
    )
    # a link in several styles gets its address once, after its last run
    assert _printed(f"See [the **full** report]({url}) and [Ofsted](https://ofsted.gov.uk)") == (
        f"See the full report ({url}) and Ofsted (https://ofsted.gov.uk)"
    )
    assert _printed("[Email the team](mailto:cyp@example.org)") == (
        "Email the team (cyp@example.org)"
    )


def test_a_link_whose_text_is_its_address_is_printed_once() -> None:
    for text in (
        "<https://www.derby.gov.uk/>",
        "[https://www.derby.gov.uk](https://www.derby.gov.uk/)",
        "[www.derby.gov.uk](https://www.derby.gov.uk)",
        "[derby.gov.uk](http://derby.gov.uk)",
        "[cyp@example.org](mailto:cyp@example.org)",
    ):
        (para,) = richtext.parse(text).blocks
        assert richtext.printed(para.runs) == para.runs, text
    # text with no link is the same runs, not a copy
    runs = richtext.parse("Review **all** cases").blocks[0].runs
    assert richtext.printed(runs) is runs
    # a link to somewhere that is not a web or mail address is not a link at all
    assert _printed("[the summary](#summary)") == "the summary"
