"""Date and time formats (settings.FORMAT_MODULE_PATH): dates as Vietnamese readers write
them, 18/09/2025 and 17:00 18/09/2025, in every language the product speaks. Render them with
`django.utils.formats.date_format` or the `date`/`time` template filters, never by hand."""
