from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionvol.navigation import NavEntry


class UnionsConfig(AppConfig):
    name = "unions"
    verbose_name = _("工会组织")
    nav = (NavEntry(_("工会组织"), "unions:tree", order=10),)

    def ready(self) -> None:
        from unions.models import Membership
        from unionvol.scoping import set_membership_loader

        def load(user: Any) -> Membership | None:
            # The scope is not known yet while it is being worked out: the base manager.
            return (
                Membership._base_manager.select_related("union")
                .filter(user=user, union__is_active=True)
                .first()
            )

        set_membership_loader(load)
