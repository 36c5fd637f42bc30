"""Reads that depend on who is asking (ARCHITECTURE §5), one module per concept:
`tasks`, `documents`."""
