from django.contrib import admin

from reports.models import ReminderSent, Submission, SubmissionVersion


class VersionInline(admin.TabularInline):
    model = SubmissionVersion
    extra = 0
    can_delete = False
    readonly_fields = ("number", "submitted_at", "submitted_by", "days_late", "snapshot")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("union", "milestone", "status", "days_late", "submitted_at", "version")
    list_filter = ("status",)
    search_fields = ("union__name", "milestone__title", "milestone__campaign__doc_number")
    list_select_related = ("union", "milestone")
    readonly_fields = ("version", "submitted_at", "days_late", "reviewed_at")
    inlines = [VersionInline]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ("submission", "threshold", "recipients", "sent_at")
