"""The base of the API's model serializers that people write through: every field built from a
model's one-line text field refuses control characters, every date and datetime field keeps to
2000-2100 (congress.validation), without each serializer listing them."""

from rest_framework import serializers

from congress.validation import checks_for


class ValidatedModelSerializer(serializers.ModelSerializer):
    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        present = field_kwargs.get("validators", [])  # the model field's own, if any
        extra = [check for check in checks_for(model_field) if check not in present]
        if extra:
            field_kwargs["validators"] = [*present, *extra]
        return field_class, field_kwargs
