"""Building a sheet for a user: scope, full-ID permission and the audit record.

Views and the ``export_sheet`` command both come through :func:`build_sheet`;
``user=None`` is the command line (an operator: every union, full numbers). Who sees
full numbers is :func:`volunteers.privacy.may_see_full_ids`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from unions.models import Union
from unionvol.audit import audit
from unionvol.models import AuditAction
from unionvol.scoping import union_of
from unionvol.xlsx import SafeWorkbook
from volunteers.models import Volunteer, VolunteerStatus
from volunteers.privacy import may_see_full_ids
from volunteers.selectors import approval_trail, quota_table
from volunteers.sheets import QuotaSheet, RegistrationSheet, RosterSheet, Sheet

UNKNOWN_SHEET = _("未知的表格：%(name)s")
NEEDS_UNION = _("请指定工会。")
NEEDS_CAMPAIGN = _("请指定通知。")
NEEDS_VOLUNTEER = _("请指定志愿者。")


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
) -> tuple[Sheet, SafeWorkbook]:
    """Write the sheet and record the export. The caller has already scoped
    ``union``/``campaign``/``volunteer`` (they came from ``visible_to``)."""
    full = may_see_full_ids(user)
    sheet: Sheet
    if identifier == RosterSheet.identifier:
        if union is None:
            union = union_of(user) if user is not None else None
        if union is None:
            raise ValidationError(NEEDS_UNION)
        if volunteers is None:
            volunteers = roster_volunteers(
                user=user, union=union, statuses=[VolunteerStatus.APPROVED]
            )
            if campaign is not None:
                volunteers = volunteers.filter(campaign=campaign)
        sheet = RosterSheet(union=union, volunteers=volunteers, full_ids=full)
        target: Any = union
    elif identifier == QuotaSheet.identifier:
        if campaign is None:
            raise ValidationError(NEEDS_CAMPAIGN)
        sheet = QuotaSheet(table=quota_table(campaign=campaign, user=user))
        target = campaign
    elif identifier == RegistrationSheet.identifier:
        if volunteer is None:
            raise ValidationError(NEEDS_VOLUNTEER)
        sheet = RegistrationSheet(
            volunteer=volunteer, trail=approval_trail(volunteer=volunteer), full_ids=full
        )
        target = volunteer
    else:
        raise ValidationError(UNKNOWN_SHEET, params={"name": identifier})
    wb = sheet.workbook()
    audit(
        user=user,
        action=AuditAction.EXPORT,
        target=target,
        rows=sheet.rows,
        full_ids=sheet.full_ids,
        sheet=identifier,
    )
    return sheet, wb
