"""Markdown bodies become sanitised HTML that can neither run code nor load from outside."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.content.source.markdown import clean_html, render_body
from kiosk.content.source.media import MediaProblem


def no_media(reference: str) -> tuple[str, str]:
    raise MediaProblem(f"no media here: {reference}")


def test_external_links_keep_their_address_for_a_qr_code_but_cannot_navigate() -> None:
    rendered, problems = render_body("See [the portal](https://evisa.gov.vn).", 5, no_media)
    assert problems == []
    assert 'data-external-url="https://evisa.gov.vn"' in rendered.html
    assert "href" not in rendered.html


def test_links_to_other_items_use_the_kiosk_scheme() -> None:
    rendered, problems = render_body("Read [customs](item:duty-free-allowances).", 1, no_media)
    assert problems == []
    assert 'href="kiosk://item/duty-free-allowances"' in rendered.html
    assert rendered.item_links == [(1, "duty-free-allowances")]


def test_harmless_raw_html_is_kept_and_styles_are_dropped() -> None:
    rendered, problems = render_body(
        "Press <kbd>OK</kbd> <span style='color:red'>now</span>", 1, no_media
    )
    assert problems == []
    assert "<kbd>OK</kbd>" in rendered.html and "style" not in rendered.html


def test_problem_lines_are_file_lines() -> None:
    body = "First paragraph.\n\nSecond.\n\n![x](https://example.com/a.png)\n"
    _rendered, problems = render_body(body, 10, no_media)
    assert [p.line for p in problems] == [14]


def test_sanitiser_removes_what_an_attacker_would_send() -> None:
    dirty = (
        '<p onclick="x()">a</p><script>alert(1)</script><img src="https://evil/x.png">'
        '<a href="javascript:alert(1)">b</a><iframe src="kiosk://item/x"></iframe>'
        '<img src="//evil/y.png"><a href="/relative">c</a><style>body{}</style>'
    )
    clean = clean_html(dirty)
    for forbidden in ("onclick", "script", "evil", "javascript", "iframe", "/relative", "style"):
        assert forbidden not in clean, forbidden


URL = re.compile(r'(?:src|href)="([^"]*)"')


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>\"'=/:()[]!*#` \nabcjsrptvonlkx.")), max_size=200))
def test_nothing_rendered_can_run_or_load_from_outside(body: str) -> None:
    rendered, _problems = render_body(body, 1, no_media)
    html = rendered.html.lower()
    assert "<script" not in html and "<iframe" not in html
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)
    for url in URL.findall(html):
        assert url.startswith("kiosk://"), url
