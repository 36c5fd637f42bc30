"""The demo's people: who they are, and their accounts made through the service."""

from dataclasses import dataclass

from congress.services import user_create


@dataclass(frozen=True)
class Person:
    username: str
    # Vietnamese order is family, middle, given. Django shows "first last", so the family and
    # middle names go in first_name and the given name (by which Vietnamese lists are sorted)
    # in last_name: get_full_name() reads "Trần Thu Hương".
    family_middle: str
    given: str
    position: str


def accounts_create(admin, people, *, password: str, domain: str) -> dict:
    """The accounts of `people` (Person), by username."""
    return {
        p.username: user_create(
            actor=admin,
            username=p.username,
            password=password,
            email=f"{p.username}@{domain}",
            first_name=p.family_middle,
            last_name=p.given,
        )
        for p in people
    }
