"""Keeping the kiosk's content current from a signed feed, online or from a USB bundle."""
