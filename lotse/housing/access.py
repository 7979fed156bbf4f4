"""Access rules of the housing register (placeholder, filled below)."""
