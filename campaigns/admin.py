from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from campaigns.models import ActivityCategory, Campaign, CampaignAddressee, Milestone


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class CategoryInline(admin.TabularInline):
    model = ActivityCategory
    extra = 0


class AddresseeInline(admin.TabularInline):
    model = CampaignAddressee
    extra = 0
    autocomplete_fields = ("union",)
    readonly_fields = ("read_at", "read_by")


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ("doc_number", "title", "issuer", "kind", "issue_date", "status")
    list_filter = ("kind", "status")
    search_fields = ("doc_number", "title")
    list_select_related = ("issuer",)
    autocomplete_fields = ("issuer",)
    inlines = [MilestoneInline, CategoryInline, AddresseeInline]
