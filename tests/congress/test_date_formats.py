"""Dates read dd/mm/yyyy in both languages (congress/formats, settings.FORMAT_MODULE_PATH):
the pages, emails and reports format them through Django's formats, never by hand."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

MOMENT = datetime(2025, 9, 18, 7, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_read_day_month_year_in_both_languages(language):
    with translation.override(language):
        assert date_format(date(2025, 9, 8)) == "08/09/2025"
        assert date_format(MOMENT, "DATETIME_FORMAT") == "07:30 18/09/2025"
        assert date_format(MOMENT, "SHORT_DATETIME_FORMAT") == "18/09/2025 07:30"
        assert date_format(date(2025, 9, 8), "MONTH_DAY_FORMAT") == "08/09"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_template_filters_use_the_same_formats(language):
    template = Template(
        '{{ day|date }} · {{ moment|date:"SHORT_DATETIME_FORMAT" }} · {{ moment|time }}'
    )

    with translation.override(language):
        text = template.render(Context({"day": date(2025, 9, 8), "moment": MOMENT}))

    assert text == "08/09/2025 · 18/09/2025 07:30 · 07:30"
