"""Objects of the volunteers app for the URL-scoping test (tests/test_object_urls.py)."""

from __future__ import annotations

from typing import Any

from tests.factories import OBJECT_FACTORIES, make_volunteer
from unions.models import Union
from volunteers.models import ApprovalStep, Volunteer


def volunteer_with_step(union: Union, **kwargs: Any) -> Volunteer:
    """A pending volunteer whose first approval step waits at its own union."""
    volunteer = make_volunteer(union, **kwargs)
    ApprovalStep.objects.create(volunteer=volunteer, level=1, union=union, round=1)
    return volunteer


OBJECT_FACTORIES[Volunteer] = volunteer_with_step
