"""Pinyin on the Chinese keyboard offers the content's words in characters; a tap takes one.

Driven as a traveller does it, on the real window at the airport: 中文 on the start screen,
the search button, then taps on the keys and on the candidates.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content.importer import import_source
from kiosk.content.source import load_source
from kiosk.content.store import ContentStore
from kiosk.keyboard.pinyin import build_vocabulary
from ui.keyboard import OnScreenKeyboard
from ui.keyboard_candidates import WORDS_PER_PAGE, PinyinWords
from ui.kiosk_window import KioskWindow

from .helpers.ui import assert_stays, tap

pytestmark = pytest.mark.gui


def open_chinese_search(qtbot, window: KioskWindow) -> OnScreenKeyboard:
    tap(qtbot, window.start_screen.buttons["zh"])
    tap(qtbot, window.home_screen.search)
    keyboard = window.search_screen.keyboard
    assert keyboard.layout_lang == "zh"
    return keyboard


def type_keys(qtbot, keyboard: OnScreenKeyboard, letters: str) -> None:
    for letter in letters:
        tap(qtbot, keyboard.space_key if letter == " " else keyboard.keys[letter])


def wait_for_words(qtbot, keyboard: OnScreenKeyboard, word: str) -> None:
    """The vocabulary is built off the UI thread: wait until ``word`` is offered."""
    qtbot.waitUntil(lambda: word in keyboard.candidate_bar.words, timeout=20000)


def test_the_search_prompt_speaks_of_pinyin(qtbot, window: KioskWindow) -> None:
    open_chinese_search(qtbot, window)
    assert window.search_screen.field.placeholderText() == "输入拼音或关键词"


def test_tapping_a_candidate_puts_the_word_in_the_field(qtbot, window: KioskWindow) -> None:
    keyboard = open_chinese_search(qtbot, window)
    bar = keyboard.candidate_bar
    assert bar.isVisible() and bar.shown() == []  # nothing typed, nothing offered
    type_keys(qtbot, keyboard, "qianz")
    wait_for_words(qtbot, keyboard, "签证")
    assert bar.shown()[0] == "签证"  # the content's most frequent word that reads qianz…
    button = bar.buttons[0]
    assert button.accessibleName() == "签证" and button.height() >= 64
    search = window.search_screen
    with qtbot.waitSignal(
        search.results_shown, timeout=10000, check_params_cb=lambda r: r.query == "签证 "
    ) as shown:
        tap(qtbot, button)
    assert search.field.text() == "签证 "  # a whole word: the space ends it
    assert shown.args[0].hits and all(hit.lang == "zh" for hit in shown.args[0].hits[:3])
    assert bar.shown() == []  # the pinyin was replaced: nothing left to offer
    # More pinyin after the word, with a space between syllables: only it is replaced.
    type_keys(qtbot, keyboard, "hu zhao")
    wait_for_words(qtbot, keyboard, "护照")
    assert bar.shown() == ["护照"]
    tap(qtbot, bar.buttons[0])
    assert search.field.text() == "签证 护照 "


def test_a_word_chosen_is_found_in_bodies_too(qtbot, window: KioskWindow) -> None:
    """边境 (border) is in no title at the airport, only in the bodies of some pages."""
    keyboard = open_chinese_search(qtbot, window)
    type_keys(qtbot, keyboard, "bianjing")
    wait_for_words(qtbot, keyboard, "边境")
    search = window.search_screen
    with qtbot.waitSignal(
        search.results_shown, timeout=10000, check_params_cb=lambda r: r.query == "边境 "
    ) as shown:
        tap(qtbot, keyboard.candidate_bar.buttons[keyboard.candidate_bar.shown().index("边境")])
    assert shown.args[0].hits


def test_more_words_than_fit_are_a_tap_away(qtbot, window: KioskWindow) -> None:
    keyboard = open_chinese_search(qtbot, window)
    bar = keyboard.candidate_bar
    type_keys(qtbot, keyboard, "sh")
    qtbot.waitUntil(lambda: len(bar.words) > WORDS_PER_PAGE, timeout=20000)
    first = bar.shown()
    assert len(first) == WORDS_PER_PAGE and bar.more.isVisible() and bar.more.accessibleName()
    tap(qtbot, bar.more)
    assert bar.shown() == bar.words[WORDS_PER_PAGE : 2 * WORDS_PER_PAGE]
    assert not set(first) & set(bar.shown())


def test_other_layouts_show_no_candidates(qtbot, window: KioskWindow) -> None:
    keyboard = open_chinese_search(qtbot, window)
    tap(qtbot, keyboard.language_key)
    tap(qtbot, keyboard.chooser.buttons["en"])
    assert not keyboard.candidate_bar.isVisible()
    type_keys(qtbot, keyboard, "bian")
    assert keyboard.candidate_bar.words == []


def test_the_physical_keyboard_gets_candidates_too(qtbot, window: KioskWindow) -> None:
    keyboard = open_chinese_search(qtbot, window)
    field = window.search_screen.field
    field.setFocus()
    qtbot.keyClicks(field, "huzhao")
    wait_for_words(qtbot, keyboard, "护照")
    tap(qtbot, keyboard.candidate_bar.buttons[keyboard.candidate_bar.shown().index("护照")])
    assert field.text() == "护照 "


def test_the_vocabulary_follows_the_content_revision(
    qtbot, store: ContentStore, example: Path, edit
) -> None:
    import_source(store, load_source(example))
    words = PinyinWords(store)
    with qtbot.waitSignal(words.ready, timeout=20000):
        words.prepare()
    built = words.vocabulary
    assert built.revision == store.revision() and "熊猫" not in built.candidates("xiongmao")
    # Asked again on the same revision: nothing is built again.
    words.prepare()
    assert_stays(qtbot, lambda: words.vocabulary, built)
    edit(
        "items/services/emergency-numbers/zh.md",
        lambda text: text.replace('title = "', 'title = "熊猫 ', 1),
    )
    import_source(store, load_source(example))
    with qtbot.waitSignal(words.ready, timeout=20000):
        words.refresh()
    assert words.vocabulary.revision == store.revision()
    assert words.vocabulary.candidates("xiongmao") == ["熊猫"]


def test_no_vocabulary_is_built_before_a_pinyin_layout_is_shown(qtbot, store, example) -> None:
    import_source(store, load_source(example))
    words = PinyinWords(store)
    words.refresh()  # new content, but no traveller has used the pinyin layout yet
    assert_stays(qtbot, lambda: words.vocabulary.revision, 0)


def test_candidates_rank_and_match() -> None:
    vocabulary = build_vocabulary(["边境 边境 边境 边界 便利", "绿色 旅游", "西安"])
    # The most frequent first; among equals, the shorter pinyin.
    assert vocabulary.candidates("bian") == ["边境", "便利", "边界"]
    assert vocabulary.candidates("bianj") == ["边境", "边界"]
    assert vocabulary.candidates("Bian Jing") == ["边境"]  # spaces and capitals do not matter
    assert vocabulary.candidates("bi") == ["边境", "便利", "边界"]
    assert vocabulary.candidates("lü") == vocabulary.candidates("lv") == ["绿色", "旅游"]
    assert vocabulary.candidates("xi'an") == ["西安"]
    assert vocabulary.candidates("") == [] and vocabulary.candidates("q") == []
    assert vocabulary.candidates_at_end("签证 bian jing") == (3, ["边境"])
    assert vocabulary.candidates_at_end("evisa bianj") == (6, ["边境", "边界"])
    assert vocabulary.candidates_at_end("护照") == (2, [])
