from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionvol.navigation import NavEntry


class ServiceConfig(AppConfig):
    name = "service"
    verbose_name = _("志愿服务")
    nav = (
        NavEntry(_("服务队"), "service:team_list", order=22),
        NavEntry(_("服务项目"), "service:project_list", order=23),
        NavEntry(_("服务日志"), "service:activity_list", order=24),
        NavEntry(_("服务时长"), "service:hours", order=25),
    )

    def ready(self) -> None:
        from service import (  # noqa: F401 - registers home items, panels, roster filter
            home,
            panels,
            rollups,
            sheets,
        )
        from service.models import ActivityPhoto
        from unionvol.files import register_private_file

        rollups.connect()
        # An activity's photos: for whoever may open the activity.
        register_private_file(ActivityPhoto, "image")
