"""The event kinds congress records: changes of congresses, bodies and memberships, which
tell nobody in the inbox (the live stream and the events API carry them).

congress may not import notifications (only its recording function), so these are plain
names; NotificationsConfig.ready() declares them in notifications.registry.
"""

CONGRESS_UPDATED = "congress.updated"
BODY_UPDATED = "body.updated"
BODY_MEMBER_ADDED = "body.member_added"
BODY_MEMBER_UPDATED = "body.member_updated"
BODY_MEMBER_REMOVED = "body.member_removed"

KINDS = (
    CONGRESS_UPDATED,
    BODY_UPDATED,
    BODY_MEMBER_ADDED,
    BODY_MEMBER_UPDATED,
    BODY_MEMBER_REMOVED,
)
