"""Resolution targets: the status of a result (exactly at the target is met; "at most" targets
the other way round), the "X/Y đạt và vượt" summary per period, predecessors' targets in a
successor's list, the API with its permissions, and the .xlsx export."""

import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from congress.models import Organization, Resolution, Target, TargetResult
from congress.targets import (
    EXCEEDED,
    MET,
    NOT_MET,
    NOT_REPORTED,
    period_summary,
    target_status,
    targets_of,
)

SIX, YEAR, MID = "six_months", "year", "mid_term"


@pytest.mark.parametrize(
    ("direction", "target", "value", "status"),
    [
        ("at_least", "100", "100", MET),
        ("at_least", "100", "100.0000", MET),
        ("at_least", "100", "100.0001", EXCEEDED),
        ("at_least", "100", "99.9999", NOT_MET),
        ("at_least", "0", "0", MET),
        ("at_most", "0.8", "0.8", MET),
        ("at_most", "0.8", "0.7999", EXCEEDED),
        ("at_most", "0.8", "0.8001", NOT_MET),
        ("at_most", "0", "0", MET),
        ("at_most", "100", None, NOT_REPORTED),
    ],
)
def test_target_status_at_the_boundaries(direction, target, value, status):
    row = Target(target_value=Decimal(target), direction=direction)

    assert target_status(row, Decimal(value) if value is not None else None) == status


@pytest.fixture
def resolution(world):
    resolution = Resolution.objects.create(
        organization=world.org, code="10-NQ/QU", title="Nghị quyết năm 2024", term="2020-2025"
    )
    rows = [
        # code, target, direction, six months, year
        ("1", "100", "at_least", "100", "104"),  # exactly at: met
        ("2", "100", "at_least", "116", "120"),  # exceeded
        ("3", "100", "at_least", "95", "99"),  # not met
        ("4", "0.8", "at_most", "0.8", "0.7"),  # at most, exactly at: met
        ("5", "0.8", "at_most", "0.95", "0.85"),  # at most, above: not met
        ("6", "12", "at_least", None, "12"),  # not reported at six months
    ]
    for position, (code, target, direction, six, year) in enumerate(rows):
        row = Target.objects.create(
            resolution=resolution,
            code=code,
            position=position,
            name=f"Chỉ tiêu {code}",
            unit="%",
            target_value=Decimal(target),
            direction=direction,
        )
        for period, value in ((SIX, six), (YEAR, year)):
            if value is not None:
                TargetResult.objects.create(
                    target=row, period=period, year=2024, value=Decimal(value)
                )
    return resolution


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_summary_counts_every_target_of_the_list(world, resolution, english):
    targets = list(targets_of(world.staff, world.org))

    six = period_summary(targets, SIX, 2024)
    year = period_summary(targets, YEAR, 2024)

    assert (six.exceeded, six.met, six.not_met, six.not_reported) == (1, 2, 2, 1)
    assert (six.met_or_exceeded, six.total) == (3, 6)
    assert six.text == "3/6 targets met or exceeded"
    assert [status for _t, _r, status in six.rows] == [
        MET,
        EXCEEDED,
        NOT_MET,
        MET,
        NOT_MET,
        NOT_REPORTED,
    ]
    assert (year.met_or_exceeded, year.total, year.not_met) == (4, 6, 2)
    assert period_summary(targets, MID, 2022).not_reported == 6


def test_a_successors_list_holds_its_predecessors_targets(world, resolution, english):
    ward = Organization.objects.create(name="Đảng bộ phường An Biên", level="ward")
    Organization.objects.filter(pk=world.org.pk).update(successor=ward)
    own = Resolution.objects.create(organization=ward, code="01-NQ/ĐU", title="NQ", term="2025")
    Target.objects.create(resolution=own, code="1", name="Chỉ tiêu phường", target_value=1)

    merged = list(targets_of(world.staff, ward))

    assert len(merged) == 7
    assert {t.resolution.organization_id for t in merged} == {world.org.pk, ward.pk}
    assert period_summary(merged, SIX, 2024).text == "3/7 targets met or exceeded"
    assert len(list(targets_of(world.staff, world.org))) == 6


# API ---------------------------------------------------------------------------------------


def _get(api, user, path, **params):
    return api(user).get(path, params, HTTP_ACCEPT_LANGUAGE="en")


def test_organization_summary_reads_as_the_political_report_needs(world, api, resolution):
    response = _get(
        api,
        world.docs_member,
        f"/api/v1/organizations/{world.org.pk}/targets/",
        period=SIX,
        year=2024,
    )

    assert response.status_code == 200
    data = response.json()
    [summary] = data["summaries"]
    assert {k: summary[k] for k in ("total", "met_or_exceeded", "not_reported", "text")} == {
        "total": 6,
        "met_or_exceeded": 3,
        "not_reported": 1,
        "text": "3/6 targets met or exceeded",
    }
    assert summary["label"] == "First six months 2024"
    assert [t["status"] for t in summary["targets"]][:2] == ["met", "exceeded"]
    assert len(data["targets"]) == 6
    assert data["targets"][0]["results"][0]["status"] == "met"


def test_without_a_period_every_period_is_summarized(world, api, resolution):
    response = _get(api, world.docs_member, f"/api/v1/organizations/{world.org.pk}/targets/")

    assert [
        (s["period"], s["year"], s["met_or_exceeded"]) for s in response.json()["summaries"]
    ] == [
        (SIX, 2024, 3),
        (YEAR, 2024, 4),
    ]


def test_recording_targets_and_results_through_the_api(world, api, resolution):
    client = api(world.docs_head)  # head of the documents subcommittee compiles the figures

    created = client.post(
        "/api/v1/targets/",
        {
            "resolution": resolution.pk,
            "code": "7",
            "name": "Tỷ lệ hộ cận nghèo",
            "unit": "%",
            "target_value": "0.5",
            "direction": "at_most",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    target = created.json()["id"]
    first = client.post(
        f"/api/v1/targets/{target}/results/",
        {"period": SIX, "year": 2024, "value": "0.5", "note": "Đúng chỉ tiêu"},
        format="json",
    )
    corrected = client.post(
        f"/api/v1/targets/{target}/results/",
        {"period": SIX, "year": 2024, "value": "0.6"},
        format="json",
    )

    assert (first.status_code, first.json()["status"]) == (201, "met")
    assert (corrected.status_code, corrected.json()["status"]) == (200, "not_met")
    assert TargetResult.objects.filter(target_id=target).count() == 1
    result = TargetResult.objects.get(target_id=target)
    assert (result.value, result.recorded_by) == (Decimal("0.6"), world.docs_head)


def test_a_plain_member_reads_but_does_not_record(world, api, resolution):
    target = resolution.targets.first()
    client = api(world.docs_member)

    assert client.get(f"/api/v1/targets/{target.pk}/").status_code == 200
    response = client.post(
        f"/api/v1/targets/{target.pk}/results/",
        {"period": SIX, "year": 2025, "value": "1"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "targets_forbidden"
    assert not TargetResult.objects.filter(year=2025).exists()


def test_an_outsider_sees_nothing_of_the_organizations_targets(world, api, resolution):
    client = api(world.outsider)
    target = resolution.targets.first()

    assert client.get(f"/api/v1/targets/{target.pk}/").status_code == 404
    assert client.get(f"/api/v1/resolutions/{resolution.pk}/").status_code == 404
    assert client.get(f"/api/v1/organizations/{world.org.pk}/targets/").status_code == 404
    assert client.get(f"/api/v1/organizations/{world.org.pk}/targets.xlsx").status_code == 404
    assert client.get("/api/v1/targets/").json()["count"] == 0
    response = client.post(
        f"/api/v1/targets/{target.pk}/results/",
        {"period": SIX, "year": 2025, "value": "1"},
        format="json",
    )
    assert response.status_code == 404


def test_a_duplicate_code_is_a_bad_request(world, api, resolution):
    response = api(world.steering_head).post(
        "/api/v1/resolutions/",
        {"organization": world.org.pk, "code": "10-NQ/QU", "title": "Trùng", "term": "2020-2025"},
        format="json",
    )

    assert response.status_code == 400
    assert "code" in response.json()


def test_a_bad_period_is_a_bad_request(world, api, resolution):
    response = _get(
        api, world.staff, f"/api/v1/organizations/{world.org.pk}/targets/", period="q3", year=24
    )

    assert response.status_code == 400
    assert set(response.json()) >= {"period", "year"}


def test_targets_export_holds_every_period_and_the_summary(world, api, resolution):
    world.docs_member.language = "en"  # exports speak the user's language
    world.docs_member.save(update_fields=["language"])
    response = api(world.docs_member).get(
        f"/api/v1/organizations/{world.org.pk}/targets.xlsx", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    targets, summary = book.worksheets
    rows = list(targets.iter_rows(values_only=True))
    assert rows[0][-4:] == (
        "First six months 2024: value",
        "First six months 2024: status",
        "Full year 2024: value",
        "Full year 2024: status",
    )
    assert rows[1][3:9] == ("1", "Chỉ tiêu 1", "%", None, 100, "At least")
    assert rows[1][-4:] == (100, "Met", 104, "Exceeded")
    assert rows[4][-4:] == (0.8, "Met", 0.7, "Exceeded")  # an at-most target
    assert rows[6][-4:] == (None, "Not reported", 12, "Met")
    sums = list(summary.iter_rows(values_only=True))
    assert sums[2] == ("First six months 2024", 6, 1, 2, 2, 1, 3, "3/6 targets met or exceeded")
    assert sums[3][-1] == "4/6 targets met or exceeded"


def test_listing_targets_costs_a_constant_number_of_queries(
    world, api, resolution, django_assert_max_num_queries
):
    client = api(world.docs_member)
    client.get("/api/v1/targets/")

    with django_assert_max_num_queries(10):
        response = client.get(f"/api/v1/organizations/{world.org.pk}/targets/")
    with django_assert_max_num_queries(10):
        listed = client.get("/api/v1/targets/")

    assert response.status_code == 200
    assert listed.json()["count"] == 6
