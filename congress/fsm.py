"""Names of django-fsm transitions as the API shows them, and what a user may do now."""

# Python keywords cannot name a method: the transition `return` is the method `return_`.


def api_name(method_name: str) -> str:
    return method_name[:-1] if method_name.endswith("_") else method_name


def transitions_of(obj) -> dict:
    return {api_name(t.name): t for t in obj.get_all_status_transitions()}


def transition_names(model) -> list[str]:
    field = model._meta.get_field("status")
    return sorted({api_name(t.name) for t in field.get_all_transitions(model)})


def available_transitions(obj, user) -> list[str]:
    """The transitions `user` may do on `obj` now: state, conditions and permission."""
    return [api_name(t.name) for t in obj.get_available_user_status_transitions(user)]


def required_input(obj, name: str) -> str | None:
    """`note`, `reason` or None: what the transition asks the user to write."""
    transition = transitions_of(obj).get(name)
    return transition.custom.get("requires") if transition else None
