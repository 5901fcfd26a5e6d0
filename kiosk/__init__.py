"""Core of the border-gate lookup kiosk: content, search, sync, analytics, admin (no widgets)."""

__version__ = "0.1.0"
