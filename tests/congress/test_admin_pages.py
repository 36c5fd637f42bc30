"""The congress admin: the add page opens (no opening date yet, so no review deadline to show)
and a congress added there is saved with its derived deadline."""

from datetime import date

import pytest

from congress.models import Congress


@pytest.fixture
def admin_client(client, world):
    world.staff.is_superuser = True
    world.staff.save(update_fields=["is_superuser"])
    client.force_login(world.staff)
    return client


def test_the_add_congress_page_opens(admin_client):
    response = admin_client.get("/admin/congress/congress/add/")

    assert response.status_code == 200
    assert 'name="opens_on"' in response.content.decode()


def test_a_congress_added_in_the_admin_is_saved(admin_client, world):
    before = Congress.objects.count()

    response = admin_client.post(
        "/admin/congress/congress/add/",
        {
            "organization": world.org.pk,
            "number": 26,
            "term_start": 2030,
            "term_end": 2035,
            "opens_on": "2030-09-18",
            "venue": "Nhà hát thành phố",
            "superior_review_working_days": 45,
            "reminder_days": "[7, 3, 1]",
            "bodies-TOTAL_FORMS": 0,
            "bodies-INITIAL_FORMS": 0,
            "bodies-MIN_NUM_FORMS": 0,
            "bodies-MAX_NUM_FORMS": 1000,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Congress.objects.count() == before + 1
    congress = Congress.objects.get(number=26)
    assert (congress.organization, congress.opens_on, congress.status) == (
        world.org,
        date(2030, 9, 18),
        Congress.Status.PLANNING,
    )
    change = admin_client.get(f"/admin/congress/congress/{congress.pk}/change/")
    assert change.status_code == 200
    assert congress.superior_review_due.strftime("%d/%m/%Y") in change.content.decode()
