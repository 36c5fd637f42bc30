def test_an_unknown_page_is_the_styled_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b'<html lang="en">' in response.content


def test_an_unknown_api_path_is_a_json_404(client, db):
    response = client.get("/api/v1/no-such/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
