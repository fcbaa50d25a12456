from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionvol.navigation import NavEntry


class UnionsConfig(AppConfig):
    name = "unions"
    verbose_name = _("工会组织")
    nav = (NavEntry(_("工会组织"), "unions:tree", order=10),)
