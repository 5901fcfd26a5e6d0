"""Qt widgets of the kiosk. Calls the core in ``kiosk``; the core never calls back in here."""
