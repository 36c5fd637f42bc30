from django.core.management.base import BaseCommand

from workflows.reminders import reminders_sweep


class Command(BaseCommand):
    help = "Run one reminder sweep: send every deadline reminder and escalation that is due."

    def handle(self, *args, **options):
        counts = reminders_sweep()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
