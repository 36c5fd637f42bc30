import pytest
def test_unknown_page_is_styled_404(client, db):
    r = client.get("/no-such-page/")
    assert r.status_code == 404 and b"<html" in r.content
    r = client.get("/api/v1/no-such/")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
