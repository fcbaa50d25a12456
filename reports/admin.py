from django.contrib import admin

from reports.models import ReminderSent, Submission, SubmissionReview, SubmissionVersion


class VersionInline(admin.TabularInline):
    model = SubmissionVersion
    extra = 0
    can_delete = False
    readonly_fields = ("number", "submitted_at", "submitted_by", "days_late", "snapshot")


class ReviewInline(admin.TabularInline):
    model = SubmissionReview
    extra = 0
    can_delete = False
    fields = ("reviewed_at", "decision", "reviewed_by", "reviewer_union", "version", "comment")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # the history is written by the reviews themselves


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("union", "milestone", "status", "days_late", "submitted_at", "version")
    list_filter = ("status",)
    search_fields = ("union__name", "milestone__title", "milestone__campaign__doc_number")
    list_select_related = ("union", "milestone")
    readonly_fields = ("version", "submitted_at", "days_late", "reviewed_at")
    inlines = [VersionInline, ReviewInline]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ("submission", "threshold", "recipients", "sent_at")
