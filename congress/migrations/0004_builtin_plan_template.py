"""Install the built-in plan template (congress/plan_builtin.py) with the database.

Idempotent: a template or item that already exists (by its key) is left as it is, so running it
again, or after an administrator has edited the template, changes nothing."""

from django.db import migrations


def install(apps, schema_editor):
    from congress.plans import builtin_template_install

    builtin_template_install(
        template_model=apps.get_model("congress", "PlanTemplate"),
        item_model=apps.get_model("congress", "PlanItem"),
    )


class Migration(migrations.Migration):
    dependencies = [("congress", "0003_plans_targets")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
