"""Multilingual search over the local store (SPEC §4.2): analysers, index and query engine."""
