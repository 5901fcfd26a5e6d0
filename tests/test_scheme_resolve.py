"""What each kiosk: address gets, decided without a web engine: the page of a visible item, then
only that item's media files and QR code; everything else refused."""

from __future__ import annotations

import pytest

from kiosk.content.page import CONTENT_SECURITY_POLICY
from kiosk.content.resolve import KioskResolver, Refusal, Reply

PHOTO, MAP, OTHERS = "a" * 64, "b" * 64, "c" * 64  # evisa's two files, another item's file
FILES = {PHOTO: (b"\x89PNG photo", "image/png"), MAP: (b"<svg/>", "image/svg+xml"),
         OTHERS: (b"\xff\xd8 jpeg", "image/jpeg")}  # fmt: skip
ITEM_FILES = {"evisa": {PHOTO, MAP}, "customs": {OTHERS}, "no-media": set()}


class Kiosk:
    """The store as the item view sees it, recording what it was asked for."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, ...]] = []

    def page(self, item_id: str, wanted: list[str]) -> str | None:
        self.asked.append(("page", item_id, *wanted))
        return f"<h1>{item_id}</h1>" if item_id in ITEM_FILES else None

    def media(self, sha256: str) -> tuple[bytes, str] | None:
        self.asked.append(("media", sha256))
        return FILES.get(sha256)

    def qr(self, item_id: str, wanted: list[str]) -> bytes | None:
        self.asked.append(("qr", item_id, *wanted))
        return f"<svg>{item_id}</svg>".encode()


@pytest.fixture
def kiosk() -> Kiosk:
    return Kiosk()


@pytest.fixture
def resolver(kiosk: Kiosk) -> KioskResolver:
    return KioskResolver(kiosk.page, kiosk.media, kiosk.qr, lambda item: ITEM_FILES[item])


def get(resolver: KioskResolver, url: str) -> Reply | Refusal:
    return resolver.resolve("GET", url)


def test_an_item_page_comes_with_the_lockdown_headers(
    resolver: KioskResolver, kiosk: Kiosk
) -> None:
    reply = get(resolver, "kiosk://item/evisa?lang=ko,en&n=3")
    assert reply == Reply("text/html;charset=utf-8", b"<h1>evisa</h1>")
    assert isinstance(reply, Reply)
    assert dict(reply.headers) == {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
    }
    assert kiosk.asked == [("page", "evisa", "ko", "en")]  # the reader's languages, in order
    assert resolver.page_item == "evisa"


def test_media_and_code_only_of_the_item_shown(resolver: KioskResolver, kiosk: Kiosk) -> None:
    # Before any page: nothing.
    assert get(resolver, f"kiosk://media/{PHOTO}") is Refusal.DENIED
    assert get(resolver, "kiosk://qr/evisa?lang=en") is Refusal.DENIED
    assert isinstance(get(resolver, "kiosk://item/evisa?lang=en"), Reply)
    assert get(resolver, f"kiosk://media/{PHOTO}") == Reply("image/png", b"\x89PNG photo")
    assert get(resolver, f"kiosk://media/{MAP}") == Reply("image/svg+xml", b"<svg/>")
    assert get(resolver, "kiosk://qr/evisa?lang=vi") == Reply("image/svg+xml", b"<svg>evisa</svg>")
    # Another item's file, and a code the page would have the kiosk draw for another item.
    assert get(resolver, f"kiosk://media/{OTHERS}") is Refusal.DENIED
    assert get(resolver, "kiosk://qr/customs?lang=en") is Refusal.DENIED
    assert ("media", OTHERS) not in kiosk.asked and ("qr", "customs", "en") not in kiosk.asked
    # Once the other item is shown, its file is served and evisa's are not.
    assert isinstance(get(resolver, "kiosk://item/customs?lang=en"), Reply)
    assert isinstance(get(resolver, f"kiosk://media/{OTHERS}"), Reply)
    assert get(resolver, f"kiosk://media/{PHOTO}") is Refusal.DENIED


def test_a_refused_page_keeps_the_item_shown(resolver: KioskResolver) -> None:
    assert isinstance(get(resolver, "kiosk://item/evisa?lang=en"), Reply)
    assert get(resolver, "kiosk://item/hidden-here?lang=en") is Refusal.NOT_FOUND
    assert resolver.page_item == "evisa"
    assert isinstance(get(resolver, f"kiosk://media/{PHOTO}"), Reply)


def test_a_declared_file_missing_from_the_store_is_not_found(resolver: KioskResolver) -> None:
    resolver.item_media = lambda _item: {"d" * 64}
    assert isinstance(get(resolver, "kiosk://item/evisa?lang=en"), Reply)
    assert get(resolver, f"kiosk://media/{'d' * 64}") is Refusal.NOT_FOUND


def test_without_a_code_maker_or_media_list_nothing_extra_is_served(kiosk: Kiosk) -> None:
    bare = KioskResolver(kiosk.page, kiosk.media)
    assert isinstance(get(bare, "kiosk://item/evisa?lang=en"), Reply)
    assert get(bare, "kiosk://qr/evisa?lang=en") is Refusal.NOT_FOUND
    assert get(bare, f"kiosk://media/{PHOTO}") is Refusal.DENIED


@pytest.mark.parametrize(
    ("method", "url", "refusal"),
    [
        ("POST", "kiosk://item/evisa?lang=en", Refusal.INVALID),
        ("GET", "kiosk://item/procedures/evisa", Refusal.INVALID),
        ("GET", "kiosk://item/..%2Fevisa", Refusal.INVALID),
        ("GET", "kiosk://item/", Refusal.INVALID),
        ("GET", "https://item/evisa", Refusal.INVALID),
        ("GET", "kiosk://settings/evisa", Refusal.NOT_FOUND),
        ("GET", "kiosk://item/no-such-item?lang=en", Refusal.NOT_FOUND),
    ],
)
def test_other_requests_are_refused(
    resolver: KioskResolver, kiosk: Kiosk, method: str, url: str, refusal: Refusal
) -> None:
    assert resolver.resolve(method, url) is refusal
    assert resolver.page_item is None
    assert all(asked[0] == "page" for asked in kiosk.asked)  # no file, no code looked up
