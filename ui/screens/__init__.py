"""One module per screen of the traveller application."""
