from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionvol.capabilities import Capability
from unionvol.navigation import NavEntry


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("报送")
    nav = (NavEntry(_("报送"), "reports:index", Capability.VIEW, order=50),)

    def ready(self) -> None:
        from reports import home, jobs  # noqa: F401 - registers the home-page provider
        from reports.models import SubmissionPhoto
        from unionvol.files import register_private_file

        jobs.register()
        # A submission's photos: for whoever may open the submission.
        register_private_file(SubmissionPhoto, "image")
