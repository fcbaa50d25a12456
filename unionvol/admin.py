from django.contrib import admin

from unionvol.models import AuditEvent


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
    list_filter = ("action", "full_ids", ("created_at", admin.DateFieldListFilter))
    search_fields = ("username", "object_repr", "object_id")
    date_hierarchy = "created_at"
    list_select_related = ("union",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
