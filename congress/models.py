from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from congress import roles
from congress.numerals import roman


class User(AbstractUser):
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username


def default_reminder_days() -> list[int]:
    return [7, 3, 1]


class Organization(models.Model):
    class Level(models.TextChoices):
        CELL = "cell", _("Party cell")
        GRASSROOTS = "grassroots", _("Grassroots party committee")
        WARD = "ward", _("Ward party committee")
        DISTRICT = "district", _("District party committee")
        PROVINCE = "province", _("Provincial party committee")

    name = models.CharField(_("name"), max_length=255)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Congress(FSMModelMixin, models.Model):
    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        PREPARING = "preparing", _("Preparing")
        IN_SESSION = "in_session", _("In session")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")
        TRANSFERRED = "transferred", _("Transferred")

    OPEN_STATES = [Status.PLANNING, Status.PREPARING]

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="congresses",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    term_start = models.PositiveSmallIntegerField(_("term start"))
    term_end = models.PositiveSmallIntegerField(_("term end"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    superior_review_working_days = models.PositiveSmallIntegerField(
        _("superior review, working days before opening"), default=45
    )
    reminder_days = models.JSONField(
        _("reminder days before a deadline"), default=default_reminder_days, blank=True
    )
    status = FSMField(_("status"), default=Status.PLANNING, choices=Status.choices, protected=True)
    status_reason = models.TextField(_("reason"), blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor congress"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")
        ordering = ["opens_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="congress_unique_number_per_org"
            ),
            models.CheckConstraint(
                condition=models.Q(term_end__gt=models.F("term_start")),
                name="congress_term_end_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return _("Congress %(number)s of %(organization)s, term %(start)s-%(end)s") % {
            "number": roman(self.number),
            "organization": self.organization.name,
            "start": self.term_start,
            "end": self.term_end,
        }

    @property
    def superior_review_due(self):
        from congress.workdays import subtract_working_days

        return subtract_working_days(self.opens_on, self.superior_review_working_days)

    # Transitions change state only; the transition service does the rest.
    @transition(
        status, source=Status.PLANNING, target=Status.PREPARING, permission=roles.may_lead_congress
    )
    def start_preparation(self):
        pass

    @transition(
        status,
        source=Status.PREPARING,
        target=Status.IN_SESSION,
        permission=roles.may_lead_congress,
    )
    def open_session(self):
        pass

    @transition(
        status, source=Status.IN_SESSION, target=Status.CLOSED, permission=roles.may_lead_congress
    )
    def close(self):
        pass

    @transition(
        status,
        source=OPEN_STATES,
        target=Status.CANCELLED,
        permission=roles.may_lead_congress,
        custom={"requires": "reason"},
    )
    def cancel(self, reason=""):
        self.status_reason = reason


class Body(models.Model):
    class Kind(models.TextChoices):
        STANDING_COMMITTEE = "standing_committee", _("Standing committee")
        STEERING_BOARD = "steering_board", _("Steering board")
        DOCUMENTS = "documents", _("Documents subcommittee")
        PERSONNEL = "personnel", _("Personnel subcommittee")
        ORGANIZATION = "organization", _("Organization subcommittee")
        PROPAGANDA = "propaganda", _("Propaganda subcommittee")
        SOCIOECONOMIC = "socioeconomic", _("Socio-economic subcommittee")
        TEAM = "team", _("Team")
        OTHER = "other", _("Other")

    CONFIDENTIAL_BY_DEFAULT = {Kind.PERSONNEL}

    congress = models.ForeignKey(
        Congress, verbose_name=_("congress"), on_delete=models.CASCADE, related_name="bodies"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    confidential = models.BooleanField(_("confidential"), default=False)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="bodies",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["congress_id", "id"]
        indexes = [models.Index(fields=["congress", "kind"])]

    def __str__(self):
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        HEAD = "head", _("Head")
        DEPUTY = "deputy", _("Deputy")
        MEMBER = "member", _("Member")
        SECRETARY = "secretary", _("Secretary")

    LEADING_ROLES = (Role.HEAD, Role.DEPUTY)

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "user"], name="membership_unique_body_user")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.body}"


class CalendarDay(models.Model):
    """A government decision that moves a day off or adds a make-up working day."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} · {self.get_kind_display()}"
