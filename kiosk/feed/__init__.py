"""The signed static feed (SPEC §4.5): keys, packs and the publisher that writes them.

Trust comes from TUF metadata made with python-tuf's Metadata API; content travels as gzip
NDJSON packs (full snapshots and deltas between revisions) that are TUF targets, and media as
content-addressed blobs listed by hash in those packs.
"""
