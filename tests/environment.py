"""What a test needs from the machine (chromium, nginx, PostgreSQL, Redis).

On a developer's machine a test whose program or service is missing is skipped. In CI
(`CI=true`, which .ci/run sets), where .ci/run installs and starts them all, it fails instead:
a skipped test passes there while testing nothing.
"""

import os
from typing import NoReturn

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing(reason: str) -> NoReturn:
    """The test cannot run here for `reason`: a skip, or in CI a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a test CI cannot run fails)", pytrace=False)
    pytest.skip(reason)
