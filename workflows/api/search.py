"""`GET /api/v1/search/?q=`: tasks, documents, comments and people the caller may see,
matched without regard to diacritics and case, best first, capped per kind
(workflows.selectors.search)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.api.common import MAX_ID
from congress.search import MAX_CHARS, MIN_CHARS, snippet_text
from workflows.selectors.search import DEFAULT_LIMIT, KINDS, MAX_LIMIT, search


class SearchParamsSerializer(serializers.Serializer):
    # `q` is checked by congress.search.search_text, whose messages say what is wrong.
    kind = serializers.ListField(
        child=serializers.ChoiceField(choices=KINDS), required=False, max_length=len(KINDS)
    )
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_LIMIT, default=DEFAULT_LIMIT
    )
    congress = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["task", "document", "comment", "person"])
    id = serializers.IntegerField()
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="A short extract around the first match.")
    url = serializers.URLField(allow_null=True, help_text="The item's web page.")
    congress = serializers.IntegerField(allow_null=True)
    body = serializers.CharField(allow_blank=True, help_text="The owning body's name.")
    status = serializers.CharField(allow_blank=True)


class SearchGroupSerializer(serializers.Serializer):
    results = SearchHitSerializer(many=True)
    truncated = serializers.BooleanField(help_text="More matched than `limit`: refine `q`.")


class SearchResultsSerializer(serializers.Serializer):
    q = serializers.CharField()
    limit = serializers.IntegerField()
    tasks = SearchGroupSerializer(required=False)
    documents = SearchGroupSerializer(required=False)
    comments = SearchGroupSerializer(required=False)
    people = SearchGroupSerializer(required=False)


class SearchView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "minLength": MIN_CHARS, "maxLength": MAX_CHARS},
                required=True,
                description=f"{MIN_CHARS} to {MAX_CHARS} characters; diacritics and case are "
                "ignored (“bao cao chinh tri” finds “Báo cáo chính trị”).",
            ),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, many=True, enum=list(KINDS), description="Only these."
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                description=f"Per kind, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
            ),
            OpenApiParameter(
                "congress",
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                description="Only this congress.",
            ),
        ],
        responses=SearchResultsSerializer,
    )
    def get(self, request):
        """Search what you may see: tasks (title, description), documents (title, the text of
        the latest version), comments and people who share a congress with you. Every word
        must match; items whose title holds every word come first. Capped at `limit` per
        kind (`truncated` says when more matched)."""
        params = SearchParamsSerializer(
            data={
                "kind": request.query_params.getlist("kind"),
                **{k: v for k, v in request.query_params.items() if k in ("limit", "congress")},
            }
        )
        params.is_valid(raise_exception=True)
        results = search(
            request.user,
            request.query_params.get("q", ""),
            kinds=params.validated_data.get("kind") or KINDS,
            limit=params.validated_data["limit"],
            congress_id=params.validated_data.get("congress"),
        )
        data = {"q": results.query.text, "limit": results.limit}
        for kind, group in results.groups.items():
            data[kind] = {
                "results": [_hit(request, hit) for hit in group.hits],
                "truncated": group.truncated,
            }
        return Response(data)


def _hit(request, hit) -> dict:
    return {
        "kind": hit.kind,
        "id": hit.id,
        "title": hit.title,
        "snippet": snippet_text(hit.snippet),
        "url": request.build_absolute_uri(hit.url) if hit.url else None,
        "congress": hit.congress,
        "body": hit.body,
        "status": hit.status,
    }
