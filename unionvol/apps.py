from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionvolConfig(AppConfig):
    name = "unionvol"
    verbose_name = _("平台")

    def ready(self) -> None:
        from unionvol import urls_absolute  # noqa: F401 - registers the SITE_URL deploy check
