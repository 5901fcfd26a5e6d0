"""The on-screen keyboard's logic: layouts from data files and per-script composition."""
