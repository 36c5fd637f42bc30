import re

from django.contrib.auth import get_user_model

# @username, as Django allows usernames: letters, digits and @.+-_ (a trailing dot is prose).
_MENTION = re.compile(r"(?<![\w@])@([\w.+-]{1,150})", re.UNICODE)


def mentioned_user_ids(text: str, *, among) -> list[int]:
    """Ids of the users @mentioned in `text`, limited to the `among` queryset (the people who
    can see the object), so a mention never reaches or reveals anyone else."""
    names = {m.rstrip(".") for m in _MENTION.findall(text or "")}
    if not names:
        return []
    users = (
        among.filter(username__in=names) if among is not None else get_user_model().objects.none()
    )
    return sorted(users.values_list("pk", flat=True))
