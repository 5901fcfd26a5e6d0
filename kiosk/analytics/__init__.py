"""Anonymous usage figures (SPEC §4.6): counted on the kiosk per hour or coarser, never per
person; search text only once enough different sessions typed it, and never anything that
looks like an identifier."""
