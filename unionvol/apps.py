from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnionvolConfig(AppConfig):
    name = "unionvol"
    verbose_name = _("平台")
