"""Building a sheet for a user: scope, full-ID permission and the audit record.

Views and the ``export_sheet`` command both come through :func:`build_sheet`;
``user=None`` is the command line (an operator: every union, full numbers). Who sees
full numbers is :func:`volunteers.privacy.may_see_full_ids`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from unions.models import Union
from unionvol.audit import audit
from unionvol.models import AuditAction
from unionvol.scoping import union_of
from unionvol.sheets import get_sheet
from unionvol.xlsx import SafeWorkbook
from volunteers.models import Volunteer, VolunteerStatus
from volunteers.privacy import may_see_full_ids
from volunteers.selectors import quota_table
from volunteers.sheets import QuotaSheet, RegistrationSheet, RosterSheet, campaign_roster

UNKNOWN_SHEET = _("未知的表格：%(name)s")
NEEDS_UNION = _("请指定工会。")
NEEDS_CAMPAIGN = _("请指定通知。")
NEEDS_VOLUNTEER = _("请指定志愿者。")


@dataclass
class BuiltSheet:
    """What :func:`build_sheet` wrote: the file's name, its rows, whether numbers are full."""

    identifier: str
    name: str
    rows: int
    full_ids: bool

    def filename(self) -> str:
        return f"{self.name}-{timezone.localdate():%Y%m%d}.xlsx"


def roster_volunteers(*, user: Any, union: Union, statuses: Any = None) -> Any:
    qs = Volunteer.objects.all() if user is None else Volunteer.objects.visible_to(user)
    qs = qs.within(union)
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    return qs


def build_sheet(
    identifier: str,
    *,
    user: Any,
    union: Union | None = None,
    campaign: Campaign | None = None,
    volunteer: Volunteer | None = None,
    volunteers: Any = None,
    with_status: bool = False,
) -> tuple[BuiltSheet, SafeWorkbook]:
    """Write one of the volunteers app's official sheets (its registered class) straight
    from the records and record the export. The caller has already scoped
    ``union``/``campaign``/``volunteer`` (they came from ``visible_to``)."""
    full = may_see_full_ids(user)
    wb = SafeWorkbook()
    target: Any
    if identifier == RosterSheet.identifier:
        if union is None:
            union = union_of(user) if user is not None else None
        if union is None:
            raise ValidationError(NEEDS_UNION)
        if volunteers is None:
            volunteers = (
                campaign_roster(union, campaign)
                if campaign is not None
                else roster_volunteers(user=user, union=union, statuses=[VolunteerStatus.APPROVED])
            )
        roster = get_sheet(RosterSheet.identifier)
        assert isinstance(roster, RosterSheet)
        data = roster.live(union, volunteers, with_status=with_status)
        roster.write(wb, union, data, full_ids=full)
        built = BuiltSheet(identifier, f"{roster.title}-{union.display_name}", data["count"], full)
        target = union
    elif identifier == QuotaSheet.identifier:
        if campaign is None:
            raise ValidationError(NEEDS_CAMPAIGN)
        quota = get_sheet(QuotaSheet.identifier)
        assert isinstance(quota, QuotaSheet)
        data = quota.of_table(quota_table(campaign=campaign, user=user))
        quota.write(wb, campaign.issuer, data)
        built = BuiltSheet(identifier, quota.title, len(data["quotas"]), False)
        target = campaign
    elif identifier == RegistrationSheet.identifier:
        if volunteer is None:
            raise ValidationError(NEEDS_VOLUNTEER)
        form = get_sheet(RegistrationSheet.identifier)
        assert isinstance(form, RegistrationSheet)
        form.write(wb, volunteer.union, form.of_volunteer(volunteer), full_ids=full)
        built = BuiltSheet(identifier, f"{form.title}-{volunteer.name}", 1, full)
        target = volunteer
    else:
        raise ValidationError(UNKNOWN_SHEET, params={"name": identifier})
    audit(
        user=user,
        action=AuditAction.EXPORT,
        target=target,
        rows=built.rows,
        full_ids=built.full_ids,
        sheet=identifier,
    )
    return built, wb
