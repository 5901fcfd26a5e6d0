"""Session state of the kiosk application (QtCore only, no widgets)."""
