"""Signals the core sends for the layers above it, which the core may not import.

`rights_changed` is sent (after commit) with `user_ids` whenever what those users may see or
do changes: a membership added, re-roled or removed, a body's confidentiality changed, an
account deactivated, a password changed, a token or session ended. The live-update layer
(notifications.live) refreshes or closes those users' open websockets.
"""

from django.dispatch import Signal

rights_changed = Signal()  # kwargs: user_ids (iterable of int), reason (str)
