from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from congress.api.serializers import TransitionInputSerializer
from congress.api.validated import ValidatedModelSerializer
from congress.fsm import available_transitions
from congress.models import Congress
from congress.selectors import bodies_visible_to, congresses_visible_to, users_visible_to
from congress.validation import validate_date, validate_single_line
from workflows.models import Comment, Document, DocumentVersion


def _name(user) -> str | None:
    return (user.get_full_name() or user.username) if user else None


class DocumentSerializer(serializers.ModelSerializer):
    body_name = serializers.CharField(source="body.name", read_only=True)
    rapporteur_name = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    consultation = serializers.SerializerMethodField()
    version_count = serializers.IntegerField(read_only=True, default=0)
    latest_version = serializers.IntegerField(
        source="latest_version_number", read_only=True, default=None
    )
    pending_comments = serializers.IntegerField(
        source="pending_comment_count", read_only=True, default=0
    )
    available_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "congress",
            "body",
            "body_name",
            "kind",
            "title",
            "rapporteur",
            "rapporteur_name",
            "created_by",
            "status",
            "round",
            "steps",
            "consultation",
            "due_at",
            "consultation_closes_at",
            "consultations_held",
            "status_reason",
            "approved_at",
            "version_count",
            "latest_version",
            "pending_comments",
            "version",
            "available_transitions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_rapporteur_name(self, document) -> str | None:
        return _name(document.rapporteur)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_steps(self, document) -> list[str]:
        """The review steps this kind of document goes through, in order."""
        return list(document.kind_steps().chain)

    def get_consultation(self, document) -> str:
        return document.kind_steps().consultation

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_transitions(self, document) -> list[str]:
        return available_transitions(document, self.context["request"].user)


class DocumentWriteSerializer(ValidatedModelSerializer):
    """What a client may write on a document; the status moves only by transition."""

    congress = serializers.PrimaryKeyRelatedField(queryset=Congress.objects.none(), required=False)
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    class Meta:
        model = Document
        fields = ["congress", "body", "kind", "title", "rapporteur", "due_at", "version"]

    def get_fields(self):
        fields = super().get_fields()
        user = self.context["request"].user
        fields["congress"].queryset = congresses_visible_to(user)
        fields["body"].queryset = bodies_visible_to(user)
        fields["rapporteur"].queryset = users_visible_to(user)
        return fields


class DocumentCreateSerializer(DocumentWriteSerializer):
    class Meta(DocumentWriteSerializer.Meta):
        extra_kwargs = {
            "body": {"required": True},
            "kind": {"required": True},
            "title": {"required": True},
        }


class DocumentTransitionInputSerializer(TransitionInputSerializer):
    consultation_closes_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        validators=[validate_date],
        help_text="Required by open_consultation: when the comment period closes.",
    )


class DocumentVersionSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    has_text = serializers.BooleanField(read_only=True)

    class Meta:
        model = DocumentVersion
        fields = [
            "number",
            "round",
            "file_type",
            "original_name",
            "size",
            "sha256",
            "has_text",
            "author",
            "author_name",
            "note",
            "download_url",
            "created_at",
        ]
        read_only_fields = fields

    def get_author_name(self, version) -> str | None:
        return _name(version.author)

    def get_download_url(self, version) -> str:
        return reverse(
            "document-version-file", kwargs={"pk": version.document_id, "number": version.number}
        )


class DocumentVersionDetailSerializer(DocumentVersionSerializer):
    class Meta(DocumentVersionSerializer.Meta):
        fields = [*DocumentVersionSerializer.Meta.fields, "text"]
        read_only_fields = fields


class DocumentVersionUploadSerializer(serializers.Serializer):
    """A draft as a multipart `file`, or as JSON `text`; with an optional `note`."""

    # Empty files reach the upload check, which says what is accepted.
    file = serializers.FileField(required=False, allow_empty_file=True, max_length=1000)
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")

    def validate(self, attrs):
        if ("file" in attrs) == ("text" in attrs):
            raise serializers.ValidationError(
                {"file": [_("Send either a file (multipart) or a text (JSON), not both.")]}
            )
        return attrs


class DocumentCommentSerializer(serializers.ModelSerializer):
    document = serializers.IntegerField(source="version.document_id", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    round = serializers.IntegerField(source="version.round", read_only=True)
    author_name = serializers.SerializerMethodField()
    answered_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "document",
            "version",
            "round",
            "author",
            "author_name",
            "source",
            "section",
            "text",
            "disposition",
            "response",
            "answered_by",
            "answered_by_name",
            "answered_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_author_name(self, comment) -> str | None:
        return _name(comment.author)

    def get_answered_by_name(self, comment) -> str | None:
        return _name(comment.answered_by)


def optional_line_field(help_text: str) -> serializers.CharField:
    """One optional line of text (a source, a section reference), at most 255 characters."""
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=255,
        default="",
        validators=[validate_single_line],
        help_text=help_text,
    )


class DocumentCommentCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20000)
    source = optional_line_field(
        "The organization that sent the comment, when it is not the author's own."
    )
    section = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=255,
        default="",
        validators=[validate_single_line],
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Version number; the latest by default.",
    )


class DocumentCommentAnswerSerializer(serializers.Serializer):
    disposition = serializers.ChoiceField(choices=Comment.Disposition.choices)
    response = serializers.CharField(required=False, allow_blank=True, max_length=20000, default="")
