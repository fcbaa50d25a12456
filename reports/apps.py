from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionvol.capabilities import Capability
from unionvol.navigation import NavEntry


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("报送")
    nav = (NavEntry(_("报送"), "reports:index", Capability.VIEW, order=50),)

    def ready(self) -> None:
        from reports import home, jobs, panels  # noqa: F401 - home items, campaign-page panel

        jobs.register()

        from campaigns.signals import milestone_opened
        from reports.services import open_milestone

        milestone_opened.connect(open_milestone, dispatch_uid="reports_open_milestone")
