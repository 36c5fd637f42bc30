"""The superior's office names who reviews a subordinate congress's documents for it
(`/api/v1/congresses/{id}/superior-reviewers/`): audited, effective at once; nobody else
may, and a subordinate's own office may not name reviewers of itself."""

from congress.models import OrganizationOffice, SuperiorReviewer
from congress.roles import roles_of
from tests.factories import UserFactory
from workflows.models import AuditEntry


def _url(world, rid=None):
    base = f"/api/v1/congresses/{world.congress.pk}/superior-reviewers/"
    return f"{base}{rid}/" if rid else base


def test_the_superiors_office_names_and_removes_a_reviewer(world, city, api):
    staff_member = UserFactory(username="tg.thanhuy", email="tg@thanhuy.example")
    client = api(city.office)

    named = client.post(
        _url(world), {"user": "TG@thanhuy.example", "document_kind": "political_report"}
    )

    assert named.status_code == 201, named.json()
    assert named.json()["username"] == "tg.thanhuy"
    assert roles_of(staff_member).reviews_for_superior(world.congress.pk, "political_report")
    listed = client.get(_url(world)).json()
    assert {r["username"] for r in listed} == {
        "tg.thanhuy",
        "city_reviewer",
        "city_personnel_reviewer",
    }
    assert AuditEntry.objects.filter(transition="superior_reviewer_name").count() == 1
    again = client.post(_url(world), {"user": "tg.thanhuy", "document_kind": "political_report"})
    assert again.status_code == 409
    removed = client.delete(_url(world, named.json()["id"]))
    assert removed.status_code == 204
    assert not SuperiorReviewer.objects.filter(user=staff_member).exists()


def test_a_bad_name_or_kind_is_a_400_that_says_so(world, city, api):
    client = api(city.office)
    unknown = client.post(_url(world), {"user": "nobody@nowhere.example"})
    assert unknown.status_code == 400
    assert unknown.json()["user"] == ["No active account has this username or email."]
    bad_kind = client.post(_url(world), {"user": "city_member", "document_kind": "novel"})
    assert bad_kind.status_code == 400 and "document_kind" in bad_kind.json()


def test_nobody_else_names_reviewers(world, city, api):
    own_office = UserFactory(username="lechan_office")
    OrganizationOffice.objects.create(organization=world.org, user=own_office)
    for user in (own_office, world.sc_head, city.reviewer):
        response = api(user).post(_url(world), {"user": "city_member"})
        assert response.status_code == 403, user.username
    assert api(city.sibling_head).post(_url(world), {"user": "city_member"}).status_code == 404
    assert api(world.outsider).get(_url(world)).status_code == 404


def test_the_naming_page_names_keeps_what_was_typed_on_an_error_and_removes(world, city, client):
    UserFactory(username="tc.thanhuy")
    client.force_login(city.office)
    url = f"/congresses/{world.congress.pk}/superior-reviewers/"
    page = client.get(url)
    assert page.status_code == 200
    assert "city_reviewer" in page.content.decode()

    wrong = client.post(url, {"user": "tc.thanhuyy", "document_kind": "personnel_plan"})
    assert wrong.status_code == 200
    text = wrong.content.decode()
    assert "No active account has this username or email." in text
    assert 'value="tc.thanhuyy"' in text

    named = client.post(url, {"user": "tc.thanhuy", "document_kind": "personnel_plan"})
    assert named.status_code == 302
    reviewer = SuperiorReviewer.objects.get(user__username="tc.thanhuy")
    assert reviewer.document_kind == "personnel_plan"
    assert client.post(url, {"remove": str(reviewer.pk)}).status_code == 302
    assert not SuperiorReviewer.objects.filter(pk=reviewer.pk).exists()


def test_the_naming_page_is_not_for_the_congress_itself(world, city, client):
    client.force_login(world.sc_head)
    assert client.get(f"/congresses/{world.congress.pk}/superior-reviewers/").status_code == 403
