from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from congress import roles, usernames
from congress.numerals import roman
from congress.validation import validate_date
from congress.workdays import CalendarDay, superior_review_due

__all__ = ["CalendarDay"]  # defined beside the calendar that reads it


class UserManager(DjangoUserManager):
    """Logging in finds the account whatever the case and width of what was typed."""

    def get_by_natural_key(self, username):
        return self.get(username__iexact=usernames.normalize(username))

    async def aget_by_natural_key(self, username):
        return await self.aget(username__iexact=usernames.normalize(username))


class User(AbstractUser):
    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        help_text=_("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
        validators=[AbstractUser.username_validator, usernames.validate_single_script],
        error_messages={"unique": _("A user with that username already exists.")},
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="congress_user_username_ci_unique",
                violation_error_message=_("A user with that username already exists."),
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # Every way of changing a password (web, admin, manage.py changepassword) ends the
        # account's tokens and sessions: the hook is here so that none is forgotten.
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            from congress import accounts

            accounts.password_changed(self)

    def membership_rows(self):
        """(body id, congress id, body kind, role) of each membership and of each office the
        user holds (role_rows): what roles are built from (congress.roles.roles_of)."""
        return [row[1:] for row in role_rows([self.pk])]

    def office_organization_ids(self) -> set[int]:
        return set(self.offices.values_list("organization_id", flat=True))


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


def has_successor_organization(congress) -> bool:
    """A congress is handed over only to a congress of its organization's successor."""
    return congress.organization.successor_id is not None


has_successor_organization.description = _(
    "the organization has no successor organization to hand the work over to."
)
has_successor_organization.code = "no_successor_organization"


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
    opens_on = models.DateField(_("opens on"), validators=[validate_date])
    closes_on = models.DateField(_("closes on"), null=True, blank=True, validators=[validate_date])
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    superior_review_working_days = models.PositiveSmallIntegerField(
        _("superior review, working days before opening"), default=45
    )
    reminder_days = models.JSONField(
        _("reminder days before a deadline"), default=default_reminder_days, blank=True
    )
    status = FSMField(_("status"), default=Status.PLANNING, choices=Status.choices, protected=True)
    status_reason = models.TextField(_("reason"), blank=True)
    # The opening date the plan's task deadlines were computed for: re-dating moves them by
    # the working days between this date and the new one, even after a plain edit of opens_on.
    plan_opens_on = models.DateField(_("opening date the plan is dated for"), null=True, blank=True)
    # The pilot congress (đại hội điểm) the superior chose among those under it: the others
    # read its plan and approved documents as examples (workflows.selectors.pilot).
    pilot = models.BooleanField(_("pilot congress"), default=False, db_default=False)
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
        return superior_review_due(self)

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

    # The successor congress is the service's input (workflows.services.congresses
    # .congress_transfer sets it and moves the open work); the generic endpoint refuses it.
    @transition(
        status,
        source=OPEN_STATES,
        target=Status.TRANSFERRED,
        conditions=[has_successor_organization],
        permission=roles.may_lead_congress,
        custom={"needs": "successor_congress"},
    )
    def transfer(self, note=""):
        pass


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
    # One of each per congress: who leads it, and who sees its confidential work, hang on them.
    UNIQUE_KINDS = (Kind.STANDING_COMMITTEE, Kind.STEERING_BOARD, Kind.PERSONNEL)

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
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "kind"],
                condition=models.Q(kind__in=["standing_committee", "steering_board", "personnel"]),
                name="body_unique_rights_kind",
                violation_error_message=_("This congress already has a body of this kind."),
            )
        ]

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


class OrganizationOffice(models.Model):
    """A user named as the office of an organization (*Văn phòng cấp ủy*): they set up the
    congresses of the organization and of those under it (congress.roles, OFFICE)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="offices",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="offices",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organization office user")
        verbose_name_plural = _("organization office users")
        ordering = ["organization_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="office_unique_organization_user"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.organization}"


class SuperiorReviewer(models.Model):
    """A person of the superior organization (its propaganda or organization committee's staff)
    named by the superior's office to review a subordinate congress's documents at the
    superior-review step: every kind but the personnel plan when `document_kind` is blank, else
    that kind only (the personnel plan is reviewed only by those named for it and by the
    superior's standing committee). congress.roles, REVIEWER."""

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("congress"),
        on_delete=models.CASCADE,
        related_name="superior_reviewers",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="superior_reviews",
    )
    document_kind = models.CharField(_("document kind"), max_length=32, blank=True)
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("named by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    named_at = models.DateTimeField(_("named at"), auto_now_add=True)

    class Meta:
        verbose_name = _("superior reviewer")
        verbose_name_plural = _("superior reviewers")
        ordering = ["congress_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "user", "document_kind"],
                name="superior_reviewer_unique_kind",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.congress} · {self.document_kind or '*'}"


def superior_paths() -> list[str]:
    """From a standing committee's membership to the congresses of the organizations under
    its organization, one level down and as far as congress.roles.OFFICE_REACH."""
    return [
        "body__congress__organization" + "__children" * depth + "__congresses"
        for depth in range(1, roles.OFFICE_REACH + 1)
    ]


def office_paths() -> list[str]:
    """From an office to the organizations it covers: its own, then each level below, as
    far as congress.roles.OFFICE_REACH (the query form of roles.office_covers)."""
    return ["organization" + "__children" * depth for depth in range(roles.OFFICE_REACH + 1)]


def role_rows(user_ids, *, congress_ids=None):
    """(user id, body id, congress id, body kind, role) of the users' memberships, and of
    their offices: (user, None, congress, OFFICE, OFFICE) for each congress an office
    covers, (user, body, congress, steering_board, OFFICE) for each steering board of those
    congresses (the office does what the board's secretary may); of their seats in a standing
    committee, for each congress under its organization (user, None, congress, SUPERIOR,
    role); of their namings as a superior reviewer (user, None, congress, REVIEWER, kind).
    One query."""
    user_ids = list(user_ids)
    null_id = models.Value(None, output_field=models.IntegerField())
    office = models.Value(roles.OFFICE, output_field=models.CharField())
    steering = models.Value(roles.STEERING_BOARD, output_field=models.CharField())
    parts = []
    memberships = Membership.objects.filter(user_id__in=user_ids)
    if congress_ids is not None:
        memberships = memberships.filter(body__congress_id__in=congress_ids)
    first = memberships.order_by().values_list(
        "user_id", "body_id", "body__congress_id", "body__kind", "role"
    )
    for path in office_paths():
        congress = f"{path}__congresses"
        # One filter() call each, so that the values below read the joins filtered here.
        where = {"user_id__in": user_ids, f"{congress}__isnull": False}
        if congress_ids is not None:
            where[f"{congress}__in"] = congress_ids
        covered = OrganizationOffice.objects.filter(**where).order_by()
        boards = OrganizationOffice.objects.filter(
            **where, **{f"{congress}__bodies__kind": roles.STEERING_BOARD}
        ).order_by()
        parts.append(
            covered.annotate(_body=null_id, _kind=office, _role=office).values_list(
                "user_id", "_body", f"{congress}__id", "_kind", "_role"
            )
        )
        parts.append(
            boards.annotate(_kind=steering, _role=office).values_list(
                "user_id", f"{congress}__bodies__id", f"{congress}__id", "_kind", "_role"
            )
        )
    superior = models.Value(roles.SUPERIOR, output_field=models.CharField())
    reviewer = models.Value(roles.REVIEWER, output_field=models.CharField())
    for congress in superior_paths():
        where = {
            "user_id__in": user_ids,
            "body__kind": roles.STANDING_COMMITTEE,
            f"{congress}__isnull": False,
        }
        if congress_ids is not None:
            where[f"{congress}__in"] = congress_ids
        # (user, None, subordinate congress, SUPERIOR, the role held in the superior's
        # standing committee)
        parts.append(
            Membership.objects.filter(**where)
            .order_by()
            .annotate(_body=null_id, _kind=superior)
            .values_list("user_id", "_body", f"{congress}__id", "_kind", "role")
        )
    reviews = SuperiorReviewer.objects.filter(user_id__in=user_ids)
    if congress_ids is not None:
        reviews = reviews.filter(congress_id__in=congress_ids)
    # (user, None, congress, REVIEWER, the document kind or "")
    parts.append(
        reviews.order_by()
        .annotate(_body=null_id, _kind=reviewer)
        .values_list("user_id", "_body", "congress_id", "_kind", "document_kind")
    )
    return first.union(*parts, all=True)


class PlanTemplate(models.Model):
    """A reusable preparation plan: items dated in working days from the opening, applied to a
    congress as tasks (workflows.services.plans.plan_apply)."""

    key = models.SlugField(
        _("key"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Set for the built-in templates, which the database installs."),
    )
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    level = models.CharField(
        _("organization level"), max_length=16, choices=Organization.Level.choices, blank=True
    )
    builtin = models.BooleanField(_("built-in"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")
        ordering = ["-builtin", "name", "id"]

    def __str__(self):
        return self.name


class PlanDirective(models.Model):
    """A plan template the superior organization's office pushed to a subordinate congress,
    to apply by `deadline`: the congress's leaders see it as the proposed plan on their plan
    page, and `applied_at` says when they applied it (workflows.services.plans.plan_apply)."""

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("congress"),
        on_delete=models.CASCADE,
        related_name="plan_directives",
    )
    template = models.ForeignKey(
        "PlanTemplate", verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("pushed by the organization"),
        on_delete=models.CASCADE,
        related_name="plan_directives",
    )
    deadline = models.DateField(_("apply by"), validators=[validate_date])
    pushed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pushed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pushed_at = models.DateTimeField(_("pushed at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan pushed by the superior")
        verbose_name_plural = _("plans pushed by the superior")
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "template"], name="plan_directive_once_per_template"
            )
        ]

    def __str__(self):
        return f"{self.template} → {self.congress}"


class PlanItem(models.Model):
    """One task of a plan template. Its deadline is a number of working days before the
    congress opens, before the superior level's review deadline, or after another item."""

    class Anchor(models.TextChoices):
        OPENING = "opening", _("working days before the opening")
        SUPERIOR_REVIEW = "superior_review", _("working days before the superior review deadline")
        ITEM = "item", _("working days after another item")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    template = models.ForeignKey(
        PlanTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="items"
    )
    key = models.SlugField(_("key"), max_length=64)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    body_kind = models.CharField(_("body kind"), max_length=24, choices=Body.Kind.choices)
    anchor = models.CharField(
        _("due"), max_length=16, choices=Anchor.choices, default=Anchor.OPENING
    )
    offset_days = models.PositiveSmallIntegerField(_("working days"), default=0)
    after = models.ForeignKey(
        "self",
        verbose_name=_("after item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followers",
    )
    depends_on = models.ManyToManyField(
        "self",
        verbose_name=_("depends on"),
        symmetrical=False,
        blank=True,
        related_name="dependents",
    )
    requires_review = models.BooleanField(_("requires review"), default=True)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    duration_days = models.PositiveSmallIntegerField(
        _("working days of work"),
        default=10,
        help_text=_("The task starts this many working days before its deadline."),
    )

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["template_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="plan_item_unique_key"),
            models.CheckConstraint(
                condition=models.Q(anchor="item", after__isnull=False)
                | (~models.Q(anchor="item") & models.Q(after__isnull=True)),
                name="plan_item_after_iff_item_anchor",
            ),
        ]

    def __str__(self):
        return self.title


class Resolution(models.Model):
    """A resolution whose targets (*chỉ tiêu*) the political report reviews, e.g. 10-NQ/QU."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    code = models.CharField(_("code"), max_length=64)
    title = models.CharField(_("title"), max_length=500)
    term = models.CharField(
        _("term"), max_length=20, help_text=_("The term it belongs to, e.g. 2020-2025.")
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["organization_id", "term", "code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="resolution_unique_code_per_org"
            )
        ]

    def __str__(self):
        return f"{self.code} · {self.title}"


class Target(models.Model):
    """One target of a resolution: at least (or at most) a value of something."""

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("At least")
        AT_MOST = "at_most", _("At most")

    resolution = models.ForeignKey(
        Resolution, verbose_name=_("resolution"), on_delete=models.CASCADE, related_name="targets"
    )
    code = models.CharField(_("code"), max_length=16)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=500)
    unit = models.CharField(_("unit"), max_length=64, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_value = models.DecimalField(_("target value"), max_digits=20, decimal_places=4)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.AT_LEAST
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["resolution_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "code"], name="target_unique_code")
        ]

    def __str__(self):
        return f"{self.code}. {self.name}"


class TargetResult(models.Model):
    """What a target reached at a reporting period: the first six months, a year, mid-term."""

    class Period(models.TextChoices):
        SIX_MONTHS = "six_months", _("First six months")
        YEAR = "year", _("Full year")
        MID_TERM = "mid_term", _("Mid-term")

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="results"
    )
    period = models.CharField(_("period"), max_length=16, choices=Period.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    note = models.TextField(_("note"), blank=True, max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("target result")
        verbose_name_plural = _("target results")
        ordering = ["target_id", "year", "period", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "period", "year"], name="target_result_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.target} · {self.get_period_display()} {self.year}"
