"""What each role may do. Kept free of model imports so AppConfigs can use it."""

from __future__ import annotations

from enum import StrEnum


class Capability(StrEnum):
    VIEW = "view"  # read pages of the subtree
    EDIT = "edit"  # enter data, submit
    REVIEW = "review"  # approve / return / accept
    MANAGE = "manage"  # manage users and unions of the subtree
    EXPORT = "export"  # download sheets


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    "viewer": frozenset({Capability.VIEW}),
    "clerk": frozenset({Capability.VIEW, Capability.EDIT, Capability.EXPORT}),
    "reviewer": frozenset({Capability.VIEW, Capability.EDIT, Capability.REVIEW, Capability.EXPORT}),
    "admin": frozenset(Capability),
}
