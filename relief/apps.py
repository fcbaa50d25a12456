from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionvol.capabilities import Capability
from unionvol.navigation import NavEntry


class ReliefConfig(AppConfig):
    name = "relief"
    verbose_name = _("帮扶关爱")
    # Hardship data is for union staff only; viewers have no EDIT capability.
    nav = (NavEntry(_("帮扶关爱"), "relief:index", capability=Capability.EDIT, order=40),)

    def ready(self) -> None:
        from relief import (
            home,  # noqa: F401 - registers the awaiting-items provider
            rollups,
            sheets,  # noqa: F401 - registers the app's official sheets
        )
        from relief.models import MicroWish
        from unionvol.files import register_private_file

        rollups.connect()
        # A fulfilled wish's photo: for whoever may open the wish (never the public wall).
        register_private_file(MicroWish, "photo")
