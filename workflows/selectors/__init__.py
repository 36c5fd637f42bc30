"""Reads that depend on who is asking (DESIGN section 5), one module per concept:
`tasks`, `documents`."""
