"""The faces of the kiosk that are not the traveller's: the PIN pad, the maintenance panel and
assisted mode for desk staff."""
