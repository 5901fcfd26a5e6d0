"""The content schema. Changes to it go through an Alembic migration in ``migrations/``."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# The channel of the national publisher: its content is shown at every gate, its urgent notices
# are never capped, and only it may carry sensitive national topics.
NATIONAL = "national"


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[str]: JSON}


class Meta(Base):
    """Key/value facts about the stored content: revision, publisher, languages, digests."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Gate(Base):
    __tablename__ = "gate"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(8))
    province: Mapped[str] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(2))
    languages: Mapped[list[str]]
    position: Mapped[int]
    names: Mapped[list[GateName]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class GateName(Base):
    __tablename__ = "gate_name"
    gate_id: Mapped[str] = mapped_column(
        ForeignKey("gate.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(Text)


class Category(Base):
    __tablename__ = "category"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE", deferrable=True, initially="DEFERRED")
    )
    icon: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    names: Mapped[list[CategoryName]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class CategoryName(Base):
    __tablename__ = "category_name"
    category_id: Mapped[str] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(Text)


class Item(Base):
    __tablename__ = "item"
    __table_args__ = (
        Index("ix_item_category", "category_id"),
        Index("ix_item_channel", "channel"),
    )
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The signed channel (feed role) that owns the item; see kiosk.feed.
    channel: Mapped[str] = mapped_column(String(64), server_default="national")
    kind: Mapped[str] = mapped_column(String(16))
    category_id: Mapped[str] = mapped_column(
        ForeignKey("category.id", deferrable=True, initially="DEFERRED")
    )
    tags: Mapped[list[str]]
    audiences: Mapped[list[str]]
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    priority: Mapped[int]
    urgent: Mapped[bool]
    sensitive: Mapped[bool]
    source: Mapped[str] = mapped_column(Text)
    updated: Mapped[dt.date | None] = mapped_column(Date)
    # Hash of everything imported for this item: an unchanged item is never rewritten.
    digest: Mapped[str] = mapped_column(String(64))
    gates: Mapped[list[ItemGate]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    audience_rows: Mapped[list[ItemAudience]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    translations: Mapped[list[Translation]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    media: Mapped[list[Media]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class ItemGate(Base):
    """One row per gate an item is shown at; gate_id "*" means every gate."""

    __tablename__ = "item_gate"
    __table_args__ = (Index("ix_item_gate_gate", "gate_id"),)
    item_id: Mapped[str] = mapped_column(
        ForeignKey("item.id", ondelete="CASCADE"), primary_key=True
    )
    gate_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class ItemAudience(Base):
    __tablename__ = "item_audience"
    item_id: Mapped[str] = mapped_column(
        ForeignKey("item.id", ondelete="CASCADE"), primary_key=True
    )
    audience: Mapped[str] = mapped_column(String(32), primary_key=True)


class Translation(Base):
    __tablename__ = "translation"
    item_id: Mapped[str] = mapped_column(
        ForeignKey("item.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(16), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    keywords: Mapped[list[str]]
    # Sanitised HTML rendered from the Markdown body at import, never at display time.
    body_html: Mapped[str] = mapped_column(Text)
    # Structured procedure fields (steps, documents, fee, …) in this language.
    details: Mapped[dict[str, Any]]


class Media(Base):
    """A media file of an item, stored once by content hash in the blob directory."""

    __tablename__ = "media"
    __table_args__ = (Index("ix_media_sha256", "sha256"),)
    item_id: Mapped[str] = mapped_column(
        ForeignKey("item.id", ondelete="CASCADE"), primary_key=True
    )
    path: Mapped[str] = mapped_column(Text, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    mime: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]


class SearchDoc(Base):
    """One indexed translation: its row id in the per-language search tables."""

    __tablename__ = "search_doc"
    __table_args__ = (Index("ix_search_doc_item", "item_id", "lang", unique=True),)
    docid: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(String(64))
    lang: Mapped[str] = mapped_column(String(16))
