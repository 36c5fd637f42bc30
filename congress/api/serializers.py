from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from congress import usernames
from congress.api.validated import ValidatedModelSerializer
from congress.fsm import available_transitions
from congress.models import Body, Congress, Membership, Organization
from congress.numerals import roman
from congress.roles import may_create_accounts
from congress.selectors import bodies_visible_to, organizations_visible_to, users_visible_to
from congress.validation import FIRST_YEAR, LAST_YEAR
from congress.workdays import WorkingCalendar, superior_review_due

User = get_user_model()


class UserSerializer(serializers.ModelSerializer):
    full_name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "full_name", "email", "language"]
        read_only_fields = fields

    def get_full_name(self, user) -> str:
        return user.get_full_name() or user.username


class UserCreateSerializer(serializers.ModelSerializer):
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}
    )

    class Meta:
        model = User
        fields = ["id", "username", "password", "email", "first_name", "last_name", "language"]

    def validate_username(self, value):
        value = usernames.normalize(value)
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError(_("A user with that username already exists."))
        return value

    def validate_email(self, value):
        if value and User.objects.filter(email__iexact=value.strip()).exists():
            raise serializers.ValidationError(_("Another account already uses this email."))
        return value


class MembershipOfUserSerializer(serializers.ModelSerializer):
    body_name = serializers.CharField(source="body.name", read_only=True)
    body_kind = serializers.CharField(source="body.kind", read_only=True)
    congress = serializers.IntegerField(source="body.congress_id", read_only=True)
    congress_title = serializers.CharField(source="body.congress.title", read_only=True)

    class Meta:
        model = Membership
        fields = ["body", "body_name", "body_kind", "congress", "congress_title", "role"]


class MeSerializer(UserSerializer):
    is_staff = serializers.BooleanField(read_only=True)
    calendar_url = serializers.URLField(read_only=True)
    memberships = MembershipOfUserSerializer(many=True, read_only=True)

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "is_staff", "calendar_url", "memberships"]
        read_only_fields = fields


class OrganizationSerializer(ValidatedModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "level", "parent", "successor"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            visible = organizations_visible_to(request.user)
            fields["parent"].queryset = visible
            fields["successor"].queryset = visible
        return fields


class CongressSerializer(ValidatedModelSerializer):
    title = serializers.CharField(read_only=True)
    numeral = serializers.SerializerMethodField()
    superior_review_due = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Congress
        fields = [
            "id",
            "organization",
            "number",
            "numeral",
            "title",
            "term_start",
            "term_end",
            "opens_on",
            "closes_on",
            "venue",
            "superior_review_working_days",
            "superior_review_due",
            "plan_opens_on",
            "status",
            "status_reason",
            "successor",
            "version",
            "available_transitions",
            "created_at",
        ]
        read_only_fields = [
            "status",
            "status_reason",
            "successor",
            "plan_opens_on",
            "version",
            "created_at",
        ]
        extra_kwargs = {
            "number": {"min_value": 1, "max_value": 1000},
            "term_start": {"min_value": FIRST_YEAR, "max_value": LAST_YEAR},
            "term_end": {"min_value": FIRST_YEAR, "max_value": LAST_YEAR},
            "superior_review_working_days": {"min_value": 0, "max_value": 365},
        }

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "organization" in fields:
            fields["organization"].queryset = organizations_visible_to(request.user)
        return fields

    def get_numeral(self, congress) -> str:
        return roman(congress.number)

    @extend_schema_field(serializers.DateField())
    def get_superior_review_due(self, congress):
        if "calendar" not in self.context:
            self.context["calendar"] = WorkingCalendar()
        return superior_review_due(congress, self.context["calendar"])

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_transitions(self, congress) -> list[str]:
        request = self.context.get("request")
        return available_transitions(congress, request.user) if request else []


class CongressUpdateSerializer(CongressSerializer):
    class Meta(CongressSerializer.Meta):
        read_only_fields = [*CongressSerializer.Meta.read_only_fields, "organization"]


class BodySerializer(ValidatedModelSerializer):
    confidential = serializers.BooleanField(required=False, allow_null=True, default=None)

    class Meta:
        model = Body
        fields = ["id", "congress", "kind", "name", "parent", "confidential"]
        # One body of a kind per congress is the service's to say, next to the field `kind`.
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            from congress.selectors import congresses_visible_to

            fields["congress"].queryset = congresses_visible_to(request.user)
            fields["parent"].queryset = bodies_visible_to(request.user)
        return fields


class BodyUpdateSerializer(BodySerializer):
    confidential = serializers.BooleanField(required=False)

    class Meta(BodySerializer.Meta):
        read_only_fields = ["congress"]


class MemberSerializer(serializers.ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    role = serializers.ChoiceField(choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["user", "username", "full_name", "role"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # The office adds the accounts it creates, who share no congress with it yet.
            fields["user"].queryset = (
                User.objects.all()
                if may_create_accounts(request.user)
                else users_visible_to(request.user)
            )
        return fields

    def get_full_name(self, membership) -> str:
        return membership.user.get_full_name() or membership.user.username


class TransitionInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True, allow_null=True)


def reject_status_writes(serializer):
    """Status moves only through transitions: say so instead of silently ignoring it."""
    data = serializer.initial_data
    if hasattr(data, "keys") and "status" in data:
        raise serializers.ValidationError(
            {"status": [_("The status changes only through the transitions endpoint.")]}
        )
