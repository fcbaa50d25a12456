from django.contrib import admin

from unionvol.models import AuditEvent, ExportJob


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "username",
        "union",
        "action",
        "object_type",
        "object_repr",
        "rows",
        "full_ids",
    )
    # The audit list: by user, by date (and by action / whether full IDs were included).
    list_filter = (
        ("user", admin.RelatedOnlyFieldListFilter),
        ("created_at", admin.DateFieldListFilter),
        "action",
        "full_ids",
    )
    search_fields = ("username", "object_repr", "object_id")
    date_hierarchy = "created_at"
    list_select_related = ("union",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "requested_by", "status", "progress", "created_at")
    list_filter = ("status", "kind")
