"""The Word writer's element builder: text and attribute values are escaped by construction."""

from __future__ import annotations

from lxml import etree

from planreport.writers.docx.markup import PRESERVE, Xml, cat, el, join

AWKWARD = "A & B <c> \"d\" 'e' ]]> &amp;"


def test_text_and_attribute_values_are_escaped_and_markup_is_kept() -> None:
    run = el("w:r", el("w:t", PRESERVE, AWKWARD))
    assert run == (
        "<w:r><w:t xml:space=\"preserve\">A &amp; B &lt;c&gt; &quot;d&quot; 'e' ]]&gt; "
        "&amp;amp;</w:t></w:r>"
    )
    link = el("w:hyperlink", {"w:anchor": AWKWARD, "w:history": 1}, run)
    parsed = etree.fromstring(f'<root xmlns:w="urn:w">{link}</root>')
    assert parsed[0].get("{urn:w}anchor") == AWKWARD
    assert parsed[0].get("{urn:w}history") == "1"
    assert "".join(parsed[0].itertext()) == AWKWARD


def test_an_element_without_content_closes_itself_and_empty_text_does_not() -> None:
    assert el("w:keepNext") == "<w:keepNext/>"
    assert el("w:b", {"w:val": "0"}) == '<w:b w:val="0"/>'
    assert el("w:t", PRESERVE, "") == '<w:t xml:space="preserve"></w:t>'
    assert el("w:pPr", Xml("")) == "<w:pPr></w:pPr>"


def test_markup_joins_stay_markup_and_plain_strings_among_them_are_text() -> None:
    assert cat((el("w:br"), "<x>")) == "<w:br/>&lt;x&gt;"
    joined = join(el("w:br"), [el("w:t", "a"), el("w:t", "b")])
    assert isinstance(joined, Xml)
    assert joined == "<w:t>a</w:t><w:br/><w:t>b</w:t>"
    assert el("w:p", joined) == "<w:p><w:t>a</w:t><w:br/><w:t>b</w:t></w:p>"
