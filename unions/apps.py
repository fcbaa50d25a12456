from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionvol.navigation import NavEntry


def full_id_granted(user_id: Any) -> Any:
    """``EXISTS`` the full-ID permission for ``user_id``, held directly or by a group."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Exists

    from unionvol.idnumbers import FULL_ID_PERMISSION

    app_label, codename = FULL_ID_PERMISSION.split(".")
    perm = Permission.objects.filter(codename=codename, content_type__app_label=app_label)
    direct = Permission.user_set.through.objects.filter(
        user_id=user_id, permission__in=perm.values("pk")
    )
    grouped = Group.permissions.through.objects.filter(
        group__user=user_id, permission__in=perm.values("pk")
    )
    return Exists(direct) | Exists(grouped)


class UnionsConfig(AppConfig):
    name = "unions"
    verbose_name = _("工会组织")
    nav = (NavEntry(_("工会组织"), "unions:tree", order=10),)

    def ready(self) -> None:
        from django.db.models import OuterRef

        from unions.models import Membership
        from unionvol.scoping import set_membership_loader

        def load(user: Any) -> Membership | None:
            # The scope is not known yet while it is being worked out: the base manager.
            # ``full_id``: whether the user holds the full-ID permission, directly or by
            # a group — read here so that the pages asking it (the roster, a volunteer)
            # spend no two queries of their own (volunteers.privacy.may_see_full_ids).
            return (
                Membership._base_manager.select_related("union")
                .filter(user=user, union__is_active=True)
                .annotate(full_id=full_id_granted(OuterRef("user_id")))
                .first()
            )

        set_membership_loader(load)
