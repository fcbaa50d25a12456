from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from volunteers.models import ApprovalStep, RepeatedApplication, Specialty, Volunteer
from volunteers.privacy import may_see_full_ids


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    list_display = ("name", "order")
    search_fields = ("name",)


class ApprovalStepInline(admin.TabularInline):
    model = ApprovalStep
    extra = 0
    can_delete = False
    fields = ("round", "level", "union", "decision", "opinion", "decided_by", "decided_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # approval goes through the reviewers' pages, never the admin


@admin.register(Volunteer)
class VolunteerAdmin(SimpleHistoryAdmin):
    # The list never shows the full ID number; the change form does, for holders of the
    # full-ID permission (the operator).
    list_display = ("name", "masked_id_display", "union", "status", "registered_at")
    list_filter = ("status", "identity", "political_status", "self_applied")
    search_fields = ("name", "phone", "union__name")
    list_select_related = ("union",)
    autocomplete_fields = ("union",)
    readonly_fields = ("gender", "birth_date", "status", "approval_round", "version", "created_by")
    filter_horizontal = ("specialties",)
    inlines = [ApprovalStepInline]

    def get_exclude(self, request: HttpRequest, obj: Volunteer | None = None) -> Any:
        # Staff without the full-ID permission edit everything else; operators have it.
        excluded = super().get_exclude(request, obj) or ()
        if may_see_full_ids(request.user):
            return excluded
        return (*excluded, "id_number")

    @admin.display(description=_("身份证号"))
    def masked_id_display(self, obj: Volunteer) -> str:
        return obj.masked_id


@admin.register(RepeatedApplication)
class RepeatedApplicationAdmin(admin.ModelAdmin):
    list_display = ("name", "union", "applied_at", "resolved_at")
    list_filter = ("resolved_at",)
    raw_id_fields = ("union", "existing", "campaign", "resolved_by")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # only the public form writes them
