"""The pilot congress (issue 22, flow 5): the city's office marks one congress under it; the
others' people read its plan and approved documents as examples, never its confidential work;
nobody outside the city's congresses reads them."""

import pytest

from congress.models import Congress
from tests.factories import TaskFactory
from workflows.models import Document


@pytest.fixture
def pilot(world, city, client):
    client.force_login(city.office)
    marked = client.post(f"/congresses/{city.sibling.pk}/superior-reviewers/", {"pilot": "on"})
    assert marked.status_code == 302
    TaskFactory(congress=city.sibling, body=city.sibling_docs, title="Đề cương mẫu")
    personnel = city.sibling.bodies.create(kind="personnel", name="Nhân sự HB", confidential=True)
    TaskFactory(congress=city.sibling, body=personnel, title="Danh sách nhân sự mật")
    for kind, title, body in (
        ("political_report", "Báo cáo chính trị mẫu", city.sibling_docs),
        ("personnel_plan", "Đề án nhân sự mật", personnel),
    ):
        Document.objects.create(
            congress=city.sibling, body=body, kind=kind, title=title, status="approved"
        )
    client.logout()
    return city.sibling


def test_the_office_marks_one_pilot_at_a_time(world, city, pilot, client):
    assert Congress.objects.get(pk=pilot.pk).pilot
    client.force_login(city.office)
    client.post(f"/congresses/{world.congress.pk}/superior-reviewers/", {"pilot": "on"})
    assert set(Congress.objects.filter(pilot=True).values_list("pk", flat=True)) == {
        world.congress.pk
    }


def test_a_sibling_reads_the_pilots_plan_and_approved_documents_never_its_secrets(
    world, city, pilot, client
):
    client.force_login(world.docs_member)
    plan = client.get(f"/congresses/{world.congress.pk}/plan/").content.decode()
    assert f"/congresses/{pilot.pk}/pilot/" in plan
    page = client.get(f"/congresses/{pilot.pk}/pilot/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Đề cương mẫu" in text and "Báo cáo chính trị mẫu" in text
    assert "Danh sách nhân sự mật" not in text and "Đề án nhân sự mật" not in text


def test_nobody_outside_the_citys_congresses_reads_the_pilot(world, city, pilot, client):
    client.force_login(world.outsider)
    assert client.get(f"/congresses/{pilot.pk}/pilot/").status_code == 404
    client.force_login(world.docs_member)
    Congress.objects.filter(pk=pilot.pk).update(pilot=False)
    assert client.get(f"/congresses/{pilot.pk}/pilot/").status_code == 404


def test_only_the_superiors_office_marks_the_pilot(world, city, client):
    client.force_login(world.sc_head)
    assert (
        client.post(f"/congresses/{world.congress.pk}/superior-reviewers/", {"pilot": "on"})
    ).status_code == 403
    assert not Congress.objects.filter(pilot=True).exists()
