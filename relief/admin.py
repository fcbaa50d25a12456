from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from relief.models import Donation, HardshipFile, MicroWish, Pairing, ReliefGrant, Visit


@admin.register(HardshipFile)
class HardshipFileAdmin(SimpleHistoryAdmin):
    list_display = ("name", "masked_id", "union", "cause", "degree", "status")
    list_filter = ("status", "cause", "degree")
    search_fields = ("name",)
    raw_id_fields = ("union", "contact_person", "created_by")
    exclude = ("id_number",)  # the full number is entered through the app, never shown here
    readonly_fields = ("masked_id",)

    def has_add_permission(self, request: Any) -> bool:
        return False  # files are created in the app, where the ID number is validated


@admin.register(Pairing)
class PairingAdmin(SimpleHistoryAdmin):
    list_display = ("file", "volunteer", "start", "end")
    raw_id_fields = ("file", "volunteer", "created_by")


@admin.register(ReliefGrant)
class ReliefGrantAdmin(SimpleHistoryAdmin):
    """Read-only: the ledger is written through the app (approval, reversal)."""

    list_display = ("file", "fund_type", "amount", "granted_on", "status")
    list_filter = ("status", "fund_type")

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ("visited_on", "union", "category", "visitors")
    raw_id_fields = ("union", "file", "campaign", "created_by")


@admin.register(Donation)
class DonationAdmin(SimpleHistoryAdmin):
    list_display = ("union", "campaign", "amount", "donors")
    raw_id_fields = ("union", "campaign", "updated_by")


@admin.register(MicroWish)
class MicroWishAdmin(SimpleHistoryAdmin):
    list_display = ("wish", "union", "category", "status")
    list_filter = ("status", "category")
    raw_id_fields = ("union", "file", "posted_by", "claimer_user", "confirmed_by")
