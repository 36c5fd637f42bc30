from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from congress.models import Organization
from congress.offices import office_grant


class Command(BaseCommand):
    help = (
        "Name a user as the office of an organization: they may then set up the congresses of "
        "that organization and of those under it. The organization is given by its id or its "
        "exact name. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("organization", help="the organization's id or exact name")

    def handle(self, *args, username, organization, **options):
        user = get_user_model().objects.filter(username__iexact=username.strip()).first()
        if user is None:
            raise CommandError(f"No user with the username “{username}”.")
        if not user.is_active:
            raise CommandError(f"The account “{user.username}” is deactivated.")
        found = _organization(organization)
        _office, created = office_grant(user=user, organization=found)
        if created:
            self.stdout.write(
                f"{user.username} is now the office of “{found.name}” (id {found.pk})."
            )
        else:
            self.stdout.write(
                f"{user.username} was already the office of “{found.name}” (id {found.pk}); "
                "nothing changed."
            )


def _organization(given: str) -> Organization:
    given = given.strip()
    if given.isdecimal():
        found = Organization.objects.filter(pk=int(given)).first()
        if found is not None:
            return found
    named = list(Organization.objects.filter(name=given)[:2])
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        ids = ", ".join(str(o.pk) for o in Organization.objects.filter(name=given))
        raise CommandError(f"Several organizations are named “{given}” (ids {ids}): give the id.")
    raise CommandError(f"No organization with the id or the exact name “{given}”.")
