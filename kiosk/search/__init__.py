"""Multilingual search over the local store (SPEC §4.2): the query engine. It only reads the
index that the content store keeps in step with the items (``kiosk.content.index``), analysing
queries with the same code (``kiosk.text``)."""
