from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from service.models import (
    Activity,
    ActivityPhoto,
    Certificate,
    Participation,
    ServiceProject,
    ServiceTeam,
    TeamMember,
)


class MemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    raw_id_fields = ("volunteer",)


@admin.register(ServiceTeam)
class ServiceTeamAdmin(SimpleHistoryAdmin):
    list_display = ("name", "union", "campaign", "parent")
    list_select_related = ("union", "campaign", "parent")
    search_fields = ("name",)
    raw_id_fields = ("union", "campaign", "parent")
    inlines = [MemberInline]


@admin.register(ServiceProject)
class ServiceProjectAdmin(SimpleHistoryAdmin):
    list_display = ("name", "team", "status", "paired_unit", "period_start")
    list_filter = ("status",)
    list_select_related = ("team",)
    search_fields = ("name", "paired_unit")
    raw_id_fields = ("team", "proposed_by")


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    raw_id_fields = ("volunteer",)


class PhotoInline(admin.TabularInline):
    model = ActivityPhoto
    extra = 0


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ("date", "team", "place", "featured")
    list_filter = ("featured",)
    list_select_related = ("team",)
    raw_id_fields = ("team", "project", "category")
    inlines = [ParticipationInline, PhotoInline]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("number", "volunteer", "union", "issued_on", "total_hours")
    list_select_related = ("volunteer", "union")
    raw_id_fields = ("volunteer", "union")
    readonly_fields = ("entries",)
