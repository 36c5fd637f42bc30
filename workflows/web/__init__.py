"""The web interface (issue 5): server-rendered pages for members and leaders, on the same
services and selectors as the API, updated live over the /ws/live/ websocket."""
