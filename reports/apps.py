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
        from reports.models import SubmissionPhoto
        from unionvol.files import register_private_file

        jobs.register()
        from reports import tally

        tally.connect()  # the completeness matrix's counts, kept along the tree
        # A submission's photos: for whoever may open the submission.
        register_private_file(SubmissionPhoto, "image")

        from campaigns.signals import milestone_opened
        from reports.services import open_milestone

        milestone_opened.connect(open_milestone, dispatch_uid="reports_open_milestone")
