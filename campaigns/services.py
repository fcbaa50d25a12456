"""Writes of the campaigns app: notices, teams, projects, activities, certificates.

Every function takes keyword-only arguments, validates with ``full_clean`` and
raises ``ValidationError`` with a Chinese message constant (tests reuse them).
Scope checks (is the object inside the user's subtree) are the caller's job —
views fetch objects through ``visible_to``/``writable_campaigns`` first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import (
    ActivityCategory,
    Campaign,
    CampaignAddressee,
    CampaignStatus,
    Milestone,
)
from campaigns.signals import milestone_opened
from unions.models import Union
from unionvol import rollups
from unionvol.locking import claim, save_if_current, update_if
from unionvol.scoping import subtree_q, union_of

DOC_NUMBER_TAKEN = _("本单位已有文号为“%(number)s”的通知，请核对文号。")
ADDRESSEE_OUTSIDE = _("主送单位必须是发文单位的下级工会。")
BAD_TRANSITION = _("当前状态下不能执行此操作。")
NOT_ADDRESSED = _("本单位不是该通知的主送单位。")
PERIOD_ORDER = _("结束日期不能早于开始日期。")
CATEGORY_IN_USE = _("类别“%(name)s”已有活动使用，不能删除。")


def direct_children(union: Union) -> list[Union]:
    """The default addressees of a notice: the issuer's active direct children."""
    return list(
        Union.objects.filter(subtree_q(union), depth=union.depth + 1, is_active=True).order_by(
            "path"
        )
    )


_Saved = TypeVar("_Saved", bound=models.Model)


def _save(obj: _Saved, *, exclude: Sequence[str] = ()) -> _Saved:
    obj.full_clean(exclude=list(exclude))
    obj.save()
    return obj


# --- campaigns -------------------------------------------------------------------------------

# The notice's editable fields, in the form's order: the form, the service and the demo
# loader all read this one list.
CAMPAIGN_FIELDS = (
    "doc_number",
    "title",
    "kind",
    "issue_date",
    "period_start",
    "period_end",
    "body",
    "contact_person",
    "contact_phone",
    "contact_email",
    "recruits_volunteers",
    "team_min_volunteers",
    "team_max_volunteers",
    "team_min_cadres",
    "team_max_cadres",
    "points_per_participation",
    "points_per_hour",
    "featured_per_year",
)


def _check_campaign(campaign: Campaign) -> None:
    if (
        campaign.period_start
        and campaign.period_end
        and campaign.period_end < campaign.period_start
    ):
        raise ValidationError({"period_end": PERIOD_ORDER})
    clash = Campaign.objects.filter(issuer=campaign.issuer, doc_number=campaign.doc_number)
    if campaign.pk:
        clash = clash.exclude(pk=campaign.pk)
    if clash.exists():
        raise ValidationError(
            {
                "doc_number": ValidationError(
                    DOC_NUMBER_TAKEN, params={"number": campaign.doc_number}
                )
            }
        )
    campaign.full_clean(validate_constraints=False)


def _set_addressees(campaign: Campaign, addressees: Iterable[Union]) -> None:
    wanted = {u.pk: u for u in addressees}
    for union in wanted.values():
        if not union.is_within(campaign.issuer) or union.pk == campaign.issuer_id:
            raise ValidationError({"addressees": ADDRESSEE_OUTSIDE})
    existing = set(campaign.addressee_rows.values_list("union_id", flat=True))
    campaign.addressee_rows.exclude(union_id__in=wanted).delete()
    added = CampaignAddressee.objects.bulk_create(
        [
            CampaignAddressee(campaign=campaign, union=u)
            for pk, u in wanted.items()
            if pk not in existing
        ]
    )
    # A bulk insert sends no signal: the rollups that count by addressee (the reports'
    # completeness counts) are told here; the rows deleted above sent theirs.
    rollups.touch_all((a.union_id, campaign.pk) for a in added)


@transaction.atomic
def campaign_create(
    *, issuer: Union, user: Any, addressees: Iterable[Union] | None = None, **data: Any
) -> Campaign:
    campaign = Campaign(issuer=issuer, created_by=user)
    for key in CAMPAIGN_FIELDS:
        if key in data:
            setattr(campaign, key, data[key])
    _check_campaign(campaign)
    campaign.save()
    if addressees is None:
        addressees = direct_children(issuer)
    _set_addressees(campaign, addressees)
    return campaign


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    version: int | None,
    addressees: Iterable[Union] | None = None,
    **data: Any,
) -> Campaign:
    """Edit a notice and its addressees, over the ``version`` the form was opened at
    (else STALE, writing neither)."""
    for key in CAMPAIGN_FIELDS:
        if key in data:
            setattr(campaign, key, data[key])
    _check_campaign(campaign)
    save_if_current(campaign, version, CAMPAIGN_FIELDS)
    if addressees is not None:
        _set_addressees(campaign, addressees)
        if campaign.status == CampaignStatus.PUBLISHED:  # a new addressee's reports are due too
            for milestone in campaign.milestones.all():
                milestone_opened.send(sender=Milestone, milestone=milestone)
    return campaign


_CAMPAIGN_NEXT = {
    "publish": (CampaignStatus.DRAFT, CampaignStatus.PUBLISHED),
    "close": (CampaignStatus.PUBLISHED, CampaignStatus.CLOSED),
}


@transaction.atomic
def campaign_transition(*, campaign: Campaign, action: str) -> Campaign:
    source, target = _CAMPAIGN_NEXT[action]
    if not update_if(campaign, {"status": source}, status=target):
        raise ValidationError(BAD_TRANSITION)
    campaign.save(update_fields=["status", "updated_at"])  # the row is ours: records history
    if target == CampaignStatus.PUBLISHED:
        for milestone in campaign.milestones.all():
            milestone_opened.send(sender=Milestone, milestone=milestone)
    return campaign


def campaign_mark_read(*, campaign: Campaign, user: Any) -> CampaignAddressee:
    union = union_of(user)
    row: CampaignAddressee | None = (
        campaign.addressee_rows.filter(union=union).first() if union else None
    )
    if row is None:
        raise ValidationError(NOT_ADDRESSED)
    if row.read_at is None:
        row.read_at = timezone.now()
        row.read_by = user
        row.save(update_fields=["read_at", "read_by"])
    return row


MILESTONE_FIELDS = ("title", "form", "opens_on", "due_date", "lock_after_days")


@transaction.atomic
def milestone_save(*, milestone: Milestone, version: int | None = None) -> Milestone:
    """Add a milestone, or edit one over the ``version`` its form was opened at."""
    if milestone.pk is None:
        _save(milestone)
    else:
        milestone.full_clean()
        save_if_current(milestone, version, MILESTONE_FIELDS)
    if milestone.campaign.status == CampaignStatus.PUBLISHED:
        milestone_opened.send(sender=Milestone, milestone=milestone)
    return milestone


@transaction.atomic
def categories_set(
    *, campaign: Campaign, version: int | None, names: Sequence[str]
) -> list[ActivityCategory]:
    """Replace the campaign's categories by ``names`` (order kept; used ones cannot go),
    over the campaign's ``version`` the list was opened at (else STALE)."""
    claim(campaign, version)
    clean = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    for stale in campaign.categories.exclude(name__in=clean):
        if stale.activities.exists():
            raise ValidationError(CATEGORY_IN_USE, params={"name": stale.name})
        stale.delete()
    result = []
    for order, name in enumerate(clean, start=1):
        cat, _created = ActivityCategory.objects.update_or_create(
            campaign=campaign, name=name, defaults={"order": order}
        )
        result.append(cat)
    return result
