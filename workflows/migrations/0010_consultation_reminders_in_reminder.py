"""The consultation's reminders to outside organizations are recorded in the one Reminder
table (object "invitation", deadline = the closing date) like every other reminder: the rows
already sent are copied there, then ConsultationReminder goes."""

from django.db import migrations


def copy_rows(apps, schema_editor):
    ConsultationReminder = apps.get_model("workflows", "ConsultationReminder")
    Reminder = apps.get_model("notifications", "Reminder")
    rows = ConsultationReminder.objects.select_related("invitation__document")
    Reminder.objects.bulk_create(
        [
            Reminder(
                object_kind="invitation",
                object_id=row.invitation_id,
                kind=row.kind,
                deadline=row.invitation.document.consultation_closes_at or row.sent_at,
                congress_id=row.invitation.document.congress_id,
            )
            for row in rows.iterator(chunk_size=500)
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0009_invitation_email_delivery"),
        ("notifications", "0004_email_templates"),
    ]

    operations = [
        migrations.RunPython(copy_rows, migrations.RunPython.noop),
        migrations.DeleteModel(name="ConsultationReminder"),
    ]
