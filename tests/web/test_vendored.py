"""The vendored front-end libraries are the registry's files, byte for byte: every file in
workflows/static/web/vendor/ is listed in VENDORED.md with the sha256 it had in its npm
tarball, so a hand edit (or an upgrade that forgot the table) fails here."""

import hashlib
import re
from pathlib import Path

from django.test import Client

VENDOR = Path(__file__).resolve().parents[2] / "workflows" / "static" / "web" / "vendor"
ROW = re.compile(
    r"^\| (?P<file>[\w.-]+) \| (?P<package>[\w.-]+) \| (?P<version>\d+\.\d+\.\d+) \| "
    r"(?P<tarball>https://registry\.npmjs\.org/\S+\.tgz) \(\w{64}\) \| \S+ \| (?P<sha>\w{64}) \|$",
    re.MULTILINE,
)


def recorded() -> dict[str, re.Match]:
    return {row["file"]: row for row in ROW.finditer((VENDOR / "VENDORED.md").read_text())}


def test_every_vendored_file_is_recorded_with_its_checksum():
    rows = recorded()
    on_disk = {path.name for path in VENDOR.iterdir() if path.name != "VENDORED.md"}
    assert set(rows) == on_disk
    for name, row in rows.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == row["sha"], name


def test_htmx_and_idiomorph_are_the_pinned_versions():
    rows = recorded()
    assert rows["htmx.min.js"]["version"] == "2.0.11"
    assert rows["htmx.min.js"]["tarball"].endswith("/htmx.org-2.0.11.tgz")
    assert rows["idiomorph-ext.min.js"]["version"] == "0.7.4"
    assert 'version:"2.0.11"' in (VENDOR / "htmx.min.js").read_text().replace("'", '"')


def test_pages_load_htmx_from_this_site_configured_without_inline_styles_or_eval(
    db, world, settings
):
    client = Client()
    client.force_login(world.docs_member)
    html = client.get("/tasks/").content.decode()
    htmx = html.index('src="/static/web/vendor/htmx.min.js"')
    assert htmx < html.index('src="/static/web/vendor/idiomorph-ext.min.js"')
    assert html.index('src="/static/web/vendor/idiomorph-ext.min.js"') < html.index(
        'src="/static/web/js/live.js"'
    )
    assert '"includeIndicatorStyles": false' in html and '"allowEval": false' in html
    assert 'hx-ext="morph"' in html
