from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from unions.models import Membership, Union
from unions.resources import UnionResource
from unionvol.admin_xlsx import SafeImportExportMixin


@admin.register(Union)
class UnionAdmin(SafeImportExportMixin, TreeAdmin):
    """The union tree's xlsx import/export: the upload validator in, formula-safe out."""

    form = movenodeform_factory(Union)
    resource_classes = [UnionResource]
    list_display = ("name", "code", "kind", "contact_person", "contact_phone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "code")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "union", "role", "title")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "union__name")
    autocomplete_fields = ("union",)
    list_select_related = ("user", "union")
