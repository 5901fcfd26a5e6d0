"""A large synthetic but realistic corpus for search benchmarks (SEARCH-STUDY §1).

Site, categories and gates come from the bundled content; the items are generated. Their text
is in the real script of each language and built from real vocabulary: the words of the bundled
content of that language (zh, lo and km segmented with ICU) plus CLDR names from Babel, drawn
with Zipf-like weights. Every item also carries one or two "concepts": the real titles of one
bundled item (or the names of a category or gate), the same meaning in every language, so that
queries have meaningful targets.

Run ``python benchmarks/corpus.py 50000`` to time the generation of 50,000 items.
"""

from __future__ import annotations

import datetime as dt
import gc
import html
import random
import re
import resource
import sys
import time
import unicodedata
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from kiosk.content.source import load_source
from kiosk.content.source.records import (
    ALL_GATES,
    ItemRecord,
    Source,
    TranslationRecord,
)
from kiosk.languages import babel_locale
from kiosk.paths import bundled_content_dir

LANGUAGES = ("vi", "en", "zh", "lo", "km", "ko")
UNSPACED = frozenset({"zh", "ja", "lo", "km", "th", "my"})
# The Unicode script of each language, as it appears in character names.
SCRIPTS = {
    "vi": "LATIN",
    "en": "LATIN",
    "fr": "LATIN",
    "zh": "CJK",
    "ja": "CJK",
    "lo": "LAO",
    "km": "KHMER",
    "ko": "HANGUL",
    "ru": "CYRILLIC",
    "th": "THAI",
}
CAPITALISED = frozenset({"vi", "en", "fr", "ru"})
KO_PARTICLES_AFTER_CONSONANT = ("을", "이", "은", "에서", "으로")
KO_PARTICLES_AFTER_VOWEL = ("를", "가", "는", "에서", "로")
KO_PARTICLE_SHARE = 0.4
KM_ZWSP_SHARE = 0.04
ZWSP = "\u200b"
TITLE_WORDS = (4, 10)
SUMMARY_WORDS = (12, 25)
BODY_WORDS = (60, 200)
SENTENCE_WORDS = (6, 16)
KEYWORDS = (2, 5)
STEPS = (3, 6)
STEP_WORDS = (5, 12)
MAX_PREFIX = 14
BASE_DATE = dt.date(2025, 1, 1)
TOKEN_TABLE = 1 << 20
WORD_TABLE = 1 << 18
# Korean words ending like a verb or adjective ("합니다", "하세요") take no case particle.
# Nor do words that already end in a particle or postposition ("전에", "기업의").
KO_NO_PARTICLE = frozenset("다요고며면지게서니까에의과와도만은는을를이가로")

# Whole words only: not the "s" of "visitor's" nor the "th" of "5th" nor the "QH" of "QH13".
_WORD = re.compile(r"(?<![\w'’])[^\W\d_]+(?:-[^\W\d_]+)*(?![\w'’])")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class LanguageModel:
    """Everything needed to write text of one language, computed once."""

    lang: str
    words: list[str]  # bare words, most frequent first
    weights: list[float]  # their Zipf-like weights
    # Running text draws from ``tokens`` (words, some with particles or U+200B). Each table
    # repeats every entry in proportion to its weight, so that a uniform draw with
    # ``rng.choices(table, k=n)`` is a Zipf draw, about three times faster than cum_weights.
    tokens: list[str]
    token_table: list[str]
    word_table: list[str]


@cache
def _bundled() -> Source:
    return load_source(bundled_content_dir())


def _script_ok(lang: str, word: str) -> bool:
    script = SCRIPTS.get(lang)
    for ch in word:
        if ch == "-":
            continue
        if not (ch.isalpha() or unicodedata.category(ch).startswith("M")):
            return False
        if script and script not in unicodedata.name(ch, ""):
            return False
    return bool(word.strip("-"))


def _icu_words(lang: str, text: str) -> list[str]:
    """Letter and ideograph words of ``text`` as ICU segments them (for zh, lo, km ...)."""
    import icu

    breaker = icu.BreakIterator.createWordInstance(icu.Locale(lang))
    breaker.setText(text)
    words, start = [], breaker.first()
    for end in breaker:
        if breaker.getRuleStatus() >= 200:  # UBRK_WORD_LETTER, _KANA, _IDEO
            words.append(text[start:end])
        start = end
    return words


def _word_ok(lang: str, word: str) -> bool:
    if not _script_ok(lang, word) or unicodedata.category(word[0]).startswith("M"):
        return False
    if lang == "en":
        return word.isascii() and (len(word) > 1 or word in ("a", "I"))
    if lang == "vi":  # no stray initials; "ở", "ý" are words
        return len(word) > 1 or not word.isascii()
    if lang in ("lo", "km"):  # no stray fragments of names that ICU cannot segment
        return len(word) > 1 and word[-1] != "\u17d2"
    return True


def _split_words(lang: str, text: str) -> list[str]:
    found = _icu_words(lang, text) if lang in UNSPACED else _WORD.findall(text)
    return [w for w in found if _word_ok(lang, w)]


def _has_batchim(syllable: str) -> bool:
    code = ord(syllable) - 0xAC00
    return 0 <= code < 11172 and code % 28 != 0


def _ko_stem(word: str) -> str:
    """``word`` without one of the case particles the generator attaches again."""
    for particle in ("에서", "으로", "을", "를", "이", "가", "은", "는", "로"):
        stem = word[: -len(particle)]
        if word.endswith(particle) and len(stem) >= 2:
            after_consonant = _has_batchim(stem[-1])
            allowed = KO_PARTICLES_AFTER_CONSONANT if after_consonant else KO_PARTICLES_AFTER_VOWEL
            if particle in allowed or (particle == "로" and (ord(stem[-1]) - 0xAC00) % 28 == 8):
                return stem
    return word


def _ko_particles(word: str) -> tuple[str, ...]:
    last = word[-1]
    if not _has_batchim(last):
        return KO_PARTICLES_AFTER_VOWEL
    if (ord(last) - 0xAC00) % 28 == 8:  # final ㄹ takes 로, not 으로
        return ("을", "이", "은", "에서", "로")
    return KO_PARTICLES_AFTER_CONSONANT


def _bundled_texts(lang: str) -> list[str]:
    source = _bundled()
    texts: list[str] = []
    for item in source.items:
        tr = item.translations.get(lang)
        if tr is None:
            continue
        texts += [tr.title, tr.summary, *tr.keywords]
        texts.append(html.unescape(_TAG.sub(" ", tr.body_html)))
        for value in tr.details.values():
            texts += value if isinstance(value, list) else [value]
    texts += [c.names[lang] for c in source.categories if lang in c.names]
    texts += [g.names[lang] for g in source.gates if lang in g.names]
    return texts


def _cldr_texts(lang: str) -> list[str]:
    locale = babel_locale(lang)
    names = [*locale.territories.values(), *locale.languages.values()]
    names += list(locale.months["format"]["wide"].values())
    return [str(n) for n in names]


@cache
def language_model(lang: str) -> LanguageModel:
    """The vocabulary of ``lang`` with Zipf-like weights (bundled words first, then CLDR)."""
    counts: dict[str, int] = {}
    surfaces: dict[str, dict[str, int]] = {}

    def add(texts: list[str], weight: int) -> None:
        for text in texts:
            for word in _split_words(lang, text):
                if lang == "ko":
                    word = _ko_stem(word)
                key = word.lower()
                counts[key] = counts.get(key, 0) + weight
                forms = surfaces.setdefault(key, {})
                forms[word] = forms.get(word, 0) + 1

    add(_bundled_texts(lang), 1000)  # any bundled word ranks before a CLDR-only one
    if not counts:
        raise ValueError(f"the bundled content has no text in language '{lang}'")
    add(_cldr_texts(lang), 1)
    ranked = sorted(counts, key=lambda k: (-counts[k], k))
    # The most common spelling; on a tie the lower-case one.
    words = [max(surfaces[k], key=lambda f, k=k: (surfaces[k][f], f == k)) for k in ranked]
    weights = [1.0 / (rank + 2.7) for rank in range(len(words))]  # Zipf-Mandelbrot, s = 1
    tokens, token_weights = list(words), list(weights)
    if lang == "ko":
        # Words that can take a particle take one often enough that ~40% of all words do.
        nouns = [word[-1] not in KO_NO_PARTICLE for word in words]
        noun_weight = sum(w for w, noun in zip(weights, nouns, strict=True) if noun)
        share = min(0.9, KO_PARTICLE_SHARE * sum(weights) / noun_weight)
        tokens, token_weights = [], []
        for word, weight, noun in zip(words, weights, nouns, strict=True):
            tokens.append(word)
            token_weights.append(weight * (1 - share) if noun else weight)
            if noun:
                particles = _ko_particles(word)
                tokens += [word + particle for particle in particles]
                token_weights += [weight * share / len(particles)] * len(particles)
    elif lang == "km":
        tokens = words + [w + ZWSP for w in words]
        token_weights = [w * (1 - KM_ZWSP_SHARE) for w in weights]
        token_weights += [w * KM_ZWSP_SHARE for w in weights]
    return LanguageModel(
        lang,
        words,
        weights,
        tokens,
        _table(tokens, token_weights, TOKEN_TABLE),
        _table(words, weights, WORD_TABLE),
    )


def _table(entries: list[str], weights: list[float], size: int) -> list[str]:
    """``entries`` each repeated in proportion to its weight, ``size`` in all (at least once)."""
    total = sum(weights)
    exact = [w * size / total for w in weights]
    counts = [max(1, int(x)) for x in exact]
    short = size - sum(counts)
    by_remainder = sorted(range(len(entries)), key=lambda i: counts[i] - exact[i])
    for i in by_remainder[: max(0, short)]:
        counts[i] += 1
    table: list[str] = []
    for entry, count in zip(entries, counts, strict=True):
        table += [entry] * count
    return table


def _concept_ok(lang: str, phrase: str) -> bool:
    parts = [phrase] if lang == "zh" else phrase.split(" ")
    return all(_script_ok(lang, part) for part in parts)


def _phrase_words(lang: str, phrase: str) -> int:
    return len(_icu_words(lang, phrase)) if lang in UNSPACED else len(phrase.split())


@cache
def concepts(languages: tuple[str, ...]) -> list[dict[str, str]]:
    """Phrases with the same meaning in every language: real bundled titles and names.

    Only phrases written purely in each language's script (no digits, brackets or colons) are
    kept, so a concept is always a clean search target.
    """
    source = _bundled()
    candidates = [{lang: tr.title for lang, tr in i.translations.items()} for i in source.items]
    candidates += [dict(c.names) for c in source.categories]
    candidates += [dict(g.names) for g in source.gates]
    found = []
    for names in candidates:
        if all(lang in names and _concept_ok(lang, names[lang]) for lang in languages):
            found.append({lang: names[lang] for lang in languages})
    if not found:
        raise ValueError(f"no bundled title exists in all of {', '.join(languages)}")
    return found


def _capitalise(lang: str, text: str) -> str:
    return text[:1].upper() + text[1:] if lang in CAPITALISED else text


class _Writer:
    """Writes the text of one language from a stream of Zipf-drawn tokens."""

    def __init__(self, lang: str, rng: random.Random) -> None:
        self.lang = lang
        self.rng = rng
        self.model = language_model(lang)
        self.unspaced = lang in UNSPACED
        self.join = "" if self.unspaced else " "
        # zh and lo/km separate clauses with "，" or a space; sentences end in their own way.
        self.clause = {"zh": "，", "ja": "、"}.get(lang, " " if self.unspaced else None)
        self.stop = {"zh": "。", "ja": "。", "km": "។", "my": "။", "th": ""}.get(lang, ".")
        self.sentence_gap = "" if lang in ("zh", "ja") else " "

    def sentence(self, words: list[str]) -> str:
        if self.clause is not None and len(words) >= 8:
            cut = len(words) // 2
            text = self.join.join(words[:cut]) + self.clause + self.join.join(words[cut:])
        else:
            text = self.join.join(words)
        return _capitalise(self.lang, text) + self.stop

    def sentences(self, words: list[str], lengths: list[int]) -> list[str]:
        """``sentence`` over consecutive runs of ``words`` (inlined: it runs 5 M times)."""
        join, clause, stop = self.join, self.clause, self.stop
        capitalised = self.lang in CAPITALISED
        out, start = [], 0
        for length in lengths:
            end = start + length
            if clause is not None and length >= 8:
                cut = start + length // 2
                text = join.join(words[start:cut]) + clause + join.join(words[cut:end])
            else:
                text = join.join(words[start:end])
            out.append((text[0].upper() + text[1:] if capitalised else text) + stop)
            start = end
        return out


def _split(total: int, low: int, high: int, draw: list[int]) -> list[int]:
    """Cut ``total`` words into sentences of ``low``-``high`` words (``draw`` gives lengths)."""
    lengths, left = [], total
    while left > high:
        length = min(draw.pop(), left - low)
        lengths.append(length)
        left -= length
    if left:
        lengths.append(left)
    return lengths


def _insert(words: list[str], phrase: str, rng: random.Random) -> None:
    words.insert(rng.randint(1, max(1, len(words) - 1)) if len(words) > 1 else 0, phrase)


def _translation(
    writer: _Writer,
    kind: str,
    title_n: int,
    title_concepts: list[str],
    summary_concepts: list[str],
    body_concepts: list[str],
    concept_words: dict[str, int],
    lengths: list[int],
) -> TranslationRecord:
    rng, lang, model = writer.rng, writer.lang, writer.model
    concept_total = sum(concept_words[c] for c in title_concepts)
    title_fill = max(1, title_n - concept_total)
    summary_n = rng.randint(*SUMMARY_WORDS)
    summary_fill = summary_n - sum(concept_words[c] for c in summary_concepts)
    body_n = rng.randint(*BODY_WORDS)
    body_fill = body_n - sum(concept_words[c] for c in body_concepts)
    steps = []
    if kind == "procedure":
        steps = [rng.randint(*STEP_WORDS) for _ in range(rng.randint(*STEPS))]
    need = title_fill + summary_fill + body_fill + sum(steps)
    words = rng.choices(model.token_table, k=need)

    title_words = words[:title_fill]
    for concept in title_concepts:
        _insert(title_words, concept, rng)
    title = _capitalise(lang, writer.join.join(title_words).replace(ZWSP, ""))

    at = title_fill
    summary_words = words[at : at + summary_fill]
    at += summary_fill
    for concept in summary_concepts:
        _insert(summary_words, concept, rng)
    summary = writer.sentence(summary_words)

    body_words = words[at : at + body_fill]
    at += body_fill
    for concept in body_concepts:
        _insert(body_words, concept, rng)
    sentences = writer.sentences(body_words, _split(len(body_words), *SENTENCE_WORDS, lengths))
    paragraphs, start = [], 0
    while start < len(sentences):
        size = lengths.pop() % 4 + 2  # 2-5 sentences a paragraph
        paragraphs.append(writer.sentence_gap.join(sentences[start : start + size]))
        start += size
    body_html = "".join(f"<p>{p}</p>\n" for p in paragraphs)

    details: dict[str, list[str]] = {}
    if steps:
        details["steps"] = writer.sentences(words[at:], steps)

    keyword_n = rng.randint(*KEYWORDS)
    picks = rng.choices(model.word_table, k=keyword_n * 2)
    keywords = list(
        dict.fromkeys(
            writer.join.join(picks[2 * i : 2 * i + 1 + (rng.random() < 0.4)])
            for i in range(keyword_n)
        )
    )
    while len(keywords) < KEYWORDS[0]:
        extra = rng.choice(model.word_table)
        if extra not in keywords:
            keywords.append(extra)
    return TranslationRecord(lang, title, summary, keywords, body_html, details)


@dataclass
class _Plan:
    title_concepts: list[int]
    summary_concepts: list[int]
    body_concepts: list[int]
    title_n: int


def generate_source(items: int, languages: tuple[str, ...] = LANGUAGES, seed: int = 1) -> Source:
    """A Source of ``items`` generated items, each translated into every one of ``languages``."""
    languages = tuple(languages)
    bundled = _bundled()
    pool = concepts(languages)
    widths = [
        {lang: _phrase_words(lang, c[lang]) for lang in languages} for c in pool
    ]  # words of each concept per language
    longest = [max(w.values()) for w in widths]
    titled = [i for i, n in enumerate(longest) if n < TITLE_WORDS[1]]
    rng = random.Random(seed)
    # A Zipf-like spread over concepts: some are common targets, some rare.
    order = list(range(len(pool)))
    rng.shuffle(order)
    concept_cum = list(accumulate(1.0 / (r + 1) ** 0.7 for r in range(len(pool))))
    titled_set = set(titled)
    titled_order = [i for i in order if i in titled_set]
    titled_cum = list(accumulate(1.0 / (r + 1) ** 0.7 for r in range(len(titled_order))))

    kinds = [(i.kind, i.category) for i in bundled.items]
    gate_ids = [g.id for g in bundled.gates]
    firsts = rng.choices(titled_order, cum_weights=titled_cum, k=items)
    seconds = rng.choices(order, cum_weights=concept_cum, k=items)
    records: list[ItemRecord] = []
    plans: list[_Plan] = []
    for n in range(items):
        first, second = firsts[n], seconds[n]
        two = second != first and rng.random() < 0.5
        title_n = rng.randint(max(TITLE_WORDS[0], longest[first] + 1), TITLE_WORDS[1])
        plan = _Plan([first], [], [first], title_n)
        if two:
            plan.body_concepts.append(second)
            if longest[first] + longest[second] < TITLE_WORDS[1]:
                plan.title_concepts.append(second)
                plan.title_n = rng.randint(
                    max(TITLE_WORDS[0], longest[first] + longest[second] + 1), TITLE_WORDS[1]
                )
            else:
                plan.summary_concepts.append(second)
        plans.append(plan)
        kind, category = rng.choice(kinds)
        roll = rng.random()
        valid_from = valid_until = None
        if roll < 0.03:  # expired
            valid_from = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
            valid_until = valid_from + dt.timedelta(days=rng.randint(7, 300))
        elif roll < 0.06:  # not yet valid
            valid_from = dt.date(2031, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
            valid_until = valid_from + dt.timedelta(days=rng.randint(7, 300))
        elif roll < 0.08:  # a window around today
            valid_from = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
            valid_until = dt.date(2035, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
        records.append(
            ItemRecord(
                id=f"g{n + 1}",
                kind=kind,
                category=category,
                tags=[],
                gates=[ALL_GATES] if rng.random() < 0.85 else [rng.choice(gate_ids)],
                audiences=["visitor"],
                valid_from=valid_from,
                valid_until=valid_until,
                priority=rng.randint(0, 100),
                urgent=False,
                sensitive=False,
                source="Benchmark",
                updated=BASE_DATE + dt.timedelta(days=rng.randint(0, 700)),
                folder="",
            )
        )

    collecting = gc.isenabled()
    gc.disable()  # millions of new lists and records, none of them in a cycle
    try:
        _write_translations(records, plans, pool, widths, languages, seed)
    finally:
        if collecting:
            gc.enable()
    return Source(bundled.site, list(bundled.categories), list(bundled.gates), records)


def _write_translations(
    records: list[ItemRecord],
    plans: list[_Plan],
    pool: list[dict[str, str]],
    widths: list[dict[str, int]],
    languages: tuple[str, ...],
    seed: int,
) -> None:
    for lang in languages:
        writer = _Writer(lang, random.Random(f"{seed}:{lang}"))
        phrases = [c[lang] for c in pool]
        words = {c[lang]: w[lang] for c, w in zip(pool, widths, strict=True)}
        # Sentence lengths (also used for paragraph sizes), drawn in bulk and popped.
        span = list(range(SENTENCE_WORDS[0], SENTENCE_WORDS[1] + 1))
        lengths: list[int] = []
        for record, plan in zip(records, plans, strict=True):
            if len(lengths) < 256:
                lengths = writer.rng.choices(span, k=65536)
            record.translations[lang] = _translation(
                writer,
                record.kind,
                plan.title_n,
                [phrases[i] for i in plan.title_concepts],
                [phrases[i] for i in plan.summary_concepts],
                [phrases[i] for i in plan.body_concepts],
                words,
                lengths,
            )


def fold(text: str) -> str:
    """``text`` without diacritics (what a visitor types on a plain keyboard)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)
    )
    return unicodedata.normalize("NFC", stripped)


def _title_pair(lang: str, title: str, rng: random.Random) -> str:
    if lang in UNSPACED:
        words = _split_words(lang, title)
        join = ""
    else:
        words = [w.strip(".,;:!?()") for w in title.split()]
        words = [w for w in words if w]
        join = " "
    if len(words) < 2:
        return title
    start = rng.randrange(len(words) - 1)
    return join.join(words[start : start + 2])


def _first_word(lang: str, phrase: str) -> str:
    if lang in UNSPACED:
        words = _icu_words(lang, phrase)
        return words[0] if words else phrase
    return phrase.split()[0]


def query_streams(
    source: Source, per_language: int = 40, seed: int = 2
) -> list[tuple[str, str, str]]:
    """(lang, query, kind) tuples: keystroke prefixes and whole words of title phrases.

    For each language, ``per_language`` target phrases are taken from generated titles: the
    concept phrase a title carries, or two neighbouring title words. Each target gives
    kind "prefix" for every prefix of 1..14 characters as typed (for vi and en also without
    diacritics; for zh also of its toneless pinyin) and kind "word" for its first word and the
    whole phrase.
    """
    rng = random.Random(seed)
    languages = tuple(dict.fromkeys(lang for i in source.items for lang in i.translations))
    streams: list[tuple[str, str, str]] = []
    for lang in languages:
        try:
            known = sorted({c[lang] for c in concepts(languages)}, key=lambda c: (-len(c), c))
        except ValueError:
            known = []
        titles = [i.translations[lang].title for i in source.items if lang in i.translations]
        picks = (
            rng.sample(titles, per_language)
            if len(titles) >= per_language
            else rng.choices(titles, k=per_language)
        )
        for title in picks:
            present = [c for c in known if c in title]
            concept = present[0] if present and rng.random() < 0.6 else None
            phrase = concept or _title_pair(lang, title, rng)
            typed = [phrase]
            if lang in ("vi", "en") and fold(phrase) != phrase:
                typed.append(fold(phrase))
            if lang == "zh":
                from pypinyin import lazy_pinyin

                typed.append("".join(lazy_pinyin(phrase)))
            for text in typed:
                for end in range(1, min(len(text), MAX_PREFIX) + 1):
                    streams.append((lang, text[:end], "prefix"))
            for word in dict.fromkeys((_first_word(lang, phrase), phrase)):
                streams.append((lang, word, "word"))
    return streams


def main(argv: list[str]) -> int:
    items = int(argv[1]) if len(argv) > 1 else 50_000
    start = time.perf_counter()
    for lang in LANGUAGES:
        language_model(lang)
    concepts(LANGUAGES)
    prepared = time.perf_counter()
    source = generate_source(items)
    done = time.perf_counter()
    queries = query_streams(source)
    queried = time.perf_counter()
    translations = sum(len(i.translations) for i in source.items)
    chars = sum(
        len(t.title) + len(t.summary) + len(t.body_html)
        for i in source.items
        for t in i.translations.values()
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"vocabularies and concepts: {prepared - start:.2f} s")
    for lang in LANGUAGES:
        model = language_model(lang)
        print(f"  {lang}: {len(model.words):,} words ({len(model.tokens):,} tokens)")
    print(f"concepts: {len(concepts(LANGUAGES))}")
    print(
        f"generated {len(source.items):,} items, {translations:,} translations, "
        f"{chars / 1e6:.0f} M characters in {done - prepared:.2f} s"
    )
    print(f"query streams: {len(queries):,} queries in {queried - done:.2f} s")
    print(f"peak memory (max RSS): {peak:.0f} MiB")
    if source.items:
        for lang, tr in source.items[0].translations.items():
            print(f"  {lang}: {tr.title}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
