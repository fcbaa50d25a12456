from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionvol.navigation import NavEntry


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("活动通知")
    nav = (NavEntry(_("活动通知"), "campaigns:list", order=20),)

    def ready(self) -> None:
        from campaigns import home  # noqa: F401 - registers the home-page provider
