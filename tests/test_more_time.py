"""A traveller reading a long page is asked "Need more time?" before the kiosk starts over."""

from __future__ import annotations

from kiosk.app.session import START, Place, Screen
from kiosk.i18n import gettext_for
from ui.more_time import CONTINUE, CONTINUE_NAME, QUESTION

from .helpers.ui import kiosk_of, open_item, tap


def test_a_reader_is_asked_before_the_reset_and_keeps_the_page_with_continue(
    qtbot, window
) -> None:
    open_item(qtbot, window, "evisa", lang="en")
    session, prompt = window.session, kiosk_of(window).more_time
    session.grace_seconds = 3
    session.set_idle_seconds(1)
    session.touched()  # the traveller stops touching the screen: reading
    qtbot.waitUntil(prompt.isVisible, timeout=3000)
    reading = Place(Screen.ITEM, "evisa")
    assert session.place == reading  # asked first, not thrown to the start screen
    assert prompt.question.text() == gettext_for("en")(QUESTION)
    assert prompt.continue_button.text() == gettext_for("en")(CONTINUE)
    assert prompt.continue_button.accessibleName() == gettext_for("en")(CONTINUE_NAME)
    assert "starts over in 3 seconds" in prompt.left.text()
    assert prompt.continue_button.height() >= 100  # a large target
    assert prompt.geometry() == window.rect()  # over the whole screen
    tap(qtbot, prompt.continue_button)
    assert not prompt.isVisible() and session.place == reading and session.counting_down
    # Nobody taps this time: the countdown runs out and the next traveller gets the start.
    qtbot.waitUntil(prompt.isVisible, timeout=3000)
    qtbot.waitUntil(lambda: session.place == START, timeout=5000)
    assert not prompt.isVisible()


def test_the_prompt_speaks_the_travellers_language_and_counts_down(qtbot, window) -> None:
    window.resize(1080, 1920)
    open_item(qtbot, window, "evisa", lang="zh")
    session, prompt = window.session, kiosk_of(window).more_time
    session.grace_seconds = 12
    session.set_idle_seconds(1)
    session.touched()
    qtbot.waitUntil(prompt.isVisible, timeout=3000)
    zh = gettext_for("zh")
    assert prompt.question.text() == zh(QUESTION)
    first = prompt.seconds_left
    assert 10 <= first <= 12
    qtbot.waitUntil(lambda: prompt.seconds_left < first, timeout=3000)
    session.touched()  # a tap anywhere keeps the page too
    assert not prompt.isVisible() and session.place == Place(Screen.ITEM, "evisa")
