from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionvol.capabilities import Capability
from unionvol.navigation import NavEntry


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("志愿者")
    nav = (
        NavEntry(_("志愿者"), "volunteers:roster", order=30),
        NavEntry(_("待我审批"), "volunteers:inbox", capability=Capability.REVIEW, order=31),
    )

    def ready(self) -> None:
        from unionvol.files import register_private_file
        from unionvol.home import register
        from volunteers import (  # noqa: F401 - the quota table on the campaign page
            jobs,
            panels,
            rollups,
            sheets,
        )
        from volunteers.home import awaiting
        from volunteers.models import Volunteer

        register(awaiting)
        rollups.connect()
        from django.db.models.signals import post_delete, post_save

        from volunteers.models import Specialty
        from volunteers.selectors import forget_specialties

        post_save.connect(forget_specialties, sender=Specialty, dispatch_uid="specialty_saved")
        post_delete.connect(forget_specialties, sender=Specialty, dispatch_uid="specialty_gone")
        jobs.register()
        # A volunteer's photo: for whoever may open the volunteer's page.
        register_private_file(Volunteer, "photo")
