"""One module per top-level command of the ``kiosk`` command line."""
