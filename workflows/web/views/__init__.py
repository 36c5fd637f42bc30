"""The pages, one module per concept."""
