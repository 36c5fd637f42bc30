"""Members from a spreadsheet in a real browser, as the office of the demo's organization:
30 members from an .xlsx with one bad row, the red row on a phone, the file fixed and
imported from the desktop, and the same file a second time changing nothing."""

import os
import subprocess
import sys

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.integration.services import BASE_DIR

pytestmark = pytest.mark.browser

# By the form, not the words: the Vietnamese catalog is compiled when the branches are merged.
CHECK = "#upload button[type=submit]"
IMPORT = "#import-result form button[type=submit]"
GIVEN = ["An", "Bình", "Chi", "Dũng", "Đào", "Giang", "Hà", "Khánh", "Lan", "Minh"]


def spreadsheet(path, bodies, bad_row: bool):
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH THÀNH VIÊN CÁC TIỂU BAN"])
    sheet.append(["STT", "Họ và tên", "Email", "Số điện thoại", "Tiểu ban", "Vai trò"])
    for i in range(30):
        body = bodies[i % len(bodies)]
        if bad_row and i == 17:
            body = "Tiểu ban Hậu cần"  # no such body
        name = f"Nguyễn Văn {GIVEN[i % 10]} {i}"
        sheet.append([i + 1, name, f"tv{i}@example.vn", f"09123456{i:02d}", body, "Thành viên"])
    book.save(path)
    return path


def congress_and_bodies(site):
    congress_id, organization = site.query(
        "SELECT c.id, o.name FROM congress_congress c JOIN congress_organization o "
        "ON o.id = c.organization_id ORDER BY c.id LIMIT 1"
    )[0]
    bodies = [
        name
        for (name,) in site.query(
            "SELECT name FROM congress_body WHERE congress_id = ? AND confidential = 0 ORDER BY id",
            congress_id,
        )
    ]
    return congress_id, organization, bodies


def grant_office(site, username, organization):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{site.database}",
        "VAR_DIR": str(site.database.parent),
    }
    subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "grant_office", username, organization],
        env=env,
        cwd=BASE_DIR,
        check=True,
        capture_output=True,
    )


def test_the_office_imports_30_members_fixing_one_bad_row(site, login, tmp_path):
    congress_id, organization, bodies = congress_and_bodies(site)
    grant_office(site, "huong.tt", organization)
    url = f"/congresses/{congress_id}/members/import/"

    phone = login("huong.tt", width=390, height=844)
    phone.goto(url)
    phone.set_input_files("#id_file", str(spreadsheet(tmp_path / "bad.xlsx", bodies, True)))
    phone.click(CHECK)

    bad = phone.locator('tr.row-error[data-row="20"]')
    expect(bad).to_be_visible()
    expect(bad.locator(".error")).to_contain_text("Tiểu ban Hậu cần")
    expect(phone.locator("tr.row-error")).to_have_count(1)
    expect(phone.locator(IMPORT)).to_have_count(0)
    bad.scroll_into_view_if_needed()
    screenshot(phone, "member-import-phone.png")

    desktop = login("huong.tt")
    desktop.goto(url)
    desktop.set_input_files("#id_file", str(spreadsheet(tmp_path / "good.xlsx", bodies, False)))
    desktop.click(CHECK)
    expect(desktop.locator("tr[data-row]")).to_have_count(30)
    expect(desktop.locator("tr.row-error")).to_have_count(0)
    screenshot(desktop, "member-import.png", full_page=True)
    desktop.click(IMPORT)

    expect(desktop.locator(".message-success")).to_be_visible()
    (imported,) = site.query(
        "SELECT COUNT(*) FROM congress_membership m JOIN congress_user u ON u.id = m.user_id "
        "WHERE u.email LIKE 'tv%@example.vn'"
    )[0]
    assert imported == 30
    assert phone.errors == [] and desktop.errors == []

    desktop.goto(url)
    desktop.set_input_files("#id_file", str(tmp_path / "good.xlsx"))
    desktop.click(CHECK)
    expect(desktop.locator("[data-summary]")).to_have_attribute("data-unchanged", "30")
