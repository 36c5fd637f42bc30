"""Names of django-fsm transitions as the API shows them, and what a user may do now.

Everything here goes through django-fsm's public API: the model's generated
`get_all_status_transitions` / `get_available_user_status_transitions`, `can_proceed` and the
`Transition` objects they give (`name`, `source`, `conditions`, `custom`, `has_perm`).
"""

from django_fsm import can_proceed

# Python keywords cannot name a method: the transition `return` is the method `return_`.


def api_name(method_name: str) -> str:
    return method_name[:-1] if method_name.endswith("_") else method_name


def transitions_of(obj) -> dict:
    """One transition per API name (its permission, input and conditions are the same from
    every source state)."""
    return {api_name(t.name): t for t in obj.get_all_status_transitions()}


def sources_of(obj, name: str) -> list[str]:
    """The states the transition `name` may be done from."""
    return sorted(
        {str(t.source) for t in obj.get_all_status_transitions() if api_name(t.name) == name}
    )


def transition_from_state(obj, name: str):
    """The transition `name` from the object's current state, conditions not checked; None
    when the state does not allow it (or there is no such transition)."""
    known = transitions_of(obj).get(name)
    if known is None or not can_proceed(getattr(obj, known.name), check_conditions=False):
        return None
    state = obj.status
    matches = [
        t for t in obj.get_all_status_transitions() if t.name == known.name and t.source == state
    ]
    # A wildcard source ("*", "+") is the only other way can_proceed says yes.
    return matches[0] if matches else known


def available_transitions(obj, user) -> list[str]:
    """The transitions `user` may do on `obj` now: state, conditions and permission."""
    return [api_name(t.name) for t in obj.get_available_user_status_transitions(user)]


def required_input(obj, name: str) -> str | None:
    """`note`, `reason` or None: what the transition asks the user to write."""
    transition = transitions_of(obj).get(name)
    return transition.custom.get("requires") if transition else None
