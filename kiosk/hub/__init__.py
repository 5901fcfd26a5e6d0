"""The hub: receives kiosks' anonymous usage batches and heartbeats, shows the fleet's state,
and writes the yearly evaluation report. SQLite by default, PostgreSQL for a province."""
