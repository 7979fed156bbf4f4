"""Pages of case work, one module per thing."""
