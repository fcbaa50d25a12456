from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unionvol.navigation import NavEntry


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("志愿者")
    nav = (NavEntry(_("志愿者"), "volunteers:roster", order=30),)
