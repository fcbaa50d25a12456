from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionvol.navigation import NavEntry


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("活动通知")
    nav = (
        NavEntry(_("活动通知"), "campaigns:list", order=20),
        NavEntry(_("服务队"), "campaigns:team_list", order=22),
        NavEntry(_("服务项目"), "campaigns:project_list", order=23),
        NavEntry(_("服务日志"), "campaigns:activity_list", order=24),
        NavEntry(_("服务时长"), "campaigns:hours", order=25),
    )

    def ready(self) -> None:
        from campaigns import home  # noqa: F401 - registers the home-page provider
