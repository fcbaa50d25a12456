"""Forms of the service record (crispy, bootstrap5); choices come from the user's scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.services import PERIOD_ORDER
from service.models import Activity, ProjectStatus, ServiceProject, ServiceTeam, TeamRole
from service.selectors import candidate_label, team_label
from service.services import (
    ACTIVITY_FIELDS,
    MAX_PHOTOS,
    PROJECT_FIELDS,
    TEAM_FIELDS,
    TIME_ORDER,
    activity_duration_hours,
    duplicate_member,
)
from service.widgets import candidate_pickers, team_picker
from unions.widgets import union_picker
from unionvol.formhelpers import DATE, TIME, helper
from unionvol.forms import TextLimitMixin
from unionvol.idnumbers import validate_phone
from unionvol.locking import VersionedFormMixin
from unionvol.params import int_param
from unionvol.scoping import union_of
from unionvol.uploads import IMAGE, clean_image, limit_text

HOURS_REQUIRED = _("请填写每人服务时长，或填写开始和结束时间以自动计算。")


# --- teams -----------------------------------------------------------------------------------


class TeamForm(VersionedFormMixin, TextLimitMixin, forms.ModelForm):
    class Meta:
        model = ServiceTeam
        fields = ["campaign", "union", *TEAM_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(
        self, *args: Any, campaigns: Any, unions: Any, teams: Any, user: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["union"].queryset = unions
        self.fields["parent"].queryset = teams
        self.fields["parent"].help_text = _("可选本工会及上级工会在同一活动通知下组建的服务队。")
        if self.instance.pk:
            # Union and campaign are fixed once the team exists.
            del self.fields["campaign"]
            del self.fields["union"]
            self.fields["parent"].queryset = teams.exclude(pk=self.instance.pk)
            union, campaign_id = self.instance.union, self.instance.campaign_id
        else:
            union_picker(self, "union", user=user)
            chosen = self._raw("union")
            union = (unions.filter(pk=chosen).first() if chosen else None) or union_of(user)
            campaign_id = self._raw("campaign")
        self._offer_parents(union, campaign_id)
        self.helper = helper(_("保存"))

    def _raw(self, name: str) -> int | None:
        """The id the form holds for ``name``: as typed when bound, else the initial one."""
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        return value.pk if hasattr(value, "pk") else int_param(value)

    def _offer_parents(self, union: Any, campaign_id: int | None) -> None:
        """A province has thousands of teams: the select offers those that may be the
        parent of a team of ``union`` (its own and its ancestors' teams, of the notice
        when chosen), at most :data:`~service.widgets.PICKER_LIMIT`, and the parent
        already chosen; the search finds any other team by name (for a union picked
        after the page was drawn). The field accepts any team of the scope; the service
        checks where a parent may stand."""
        field = self.fields["parent"]
        field.label_from_instance = team_label
        offered = field.queryset.none()
        if union is not None:
            offered = field.queryset.filter(union__path__in=[*union.ancestor_paths(), union.path])
            if campaign_id:
                offered = offered.filter(campaign_id=campaign_id)
            if self.instance.pk:
                offered = offered.exclude(parent=self.instance)  # its own sub-teams
        team_picker(
            self,
            "parent",
            offered=offered.select_related("union").order_by(
                "-campaign__issue_date", "union__path", "name", "pk"
            ),
            search_url=reverse("service:team_search"),
        )

    def validate_unique(self) -> None:
        pass


NOT_A_CANDIDATE = _(
    "「%(name)s」不在可选的志愿者中：只能选择本工会及下级工会审核已通过的志愿者"
    "（该志愿者的登记可能刚被退回或重新审批）。"
)
NOT_A_MEMBER = _("「%(name)s」不是该服务队的队员（可能刚被移出），不能记为参加人员。")


def _named_choice_error(exc: ValidationError, message: Any) -> ValidationError:
    """An invalid choice that is a volunteer the user may see, named with why; any other
    stays Django's error (the request's scope hides other unions' volunteers)."""
    from volunteers.models import Volunteer

    if exc.code != "invalid_choice":
        return exc
    value = (exc.params or {}).get("value")
    person = Volunteer.objects.filter(pk=value).first() if str(value).isdigit() else None
    if person is None:
        return exc
    return ValidationError(message, code="invalid_choice", params={"name": person.name})


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A volunteer: a choice no longer offered says who it was."""

    def __init__(self, *args: Any, not_offered: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.not_offered = not_offered

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except ValidationError as exc:
            raise _named_choice_error(exc, self.not_offered) from exc


class PeopleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Volunteers: each choice no longer offered says who it was."""

    def __init__(self, *args: Any, not_offered: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.not_offered = not_offered

    def _check_values(self, value: Any) -> Any:
        try:
            return super()._check_values(value)
        except ValidationError as exc:
            raise _named_choice_error(exc, self.not_offered) from exc


class TeamMembersForm(VersionedFormMixin, TextLimitMixin, forms.Form):
    """The whole member list of one team (pass the team as ``versioned=``)."""

    captain = PersonChoiceField(
        queryset=None, label=_("队长"), required=False, not_offered=NOT_A_CANDIDATE
    )
    cadres = PeopleChoiceField(
        queryset=None,
        label=_("工会干部"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        not_offered=NOT_A_CANDIDATE,
    )
    volunteers = PeopleChoiceField(
        queryset=None,
        label=_("志愿者"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        not_offered=NOT_A_CANDIDATE,
    )

    def __init__(
        self,
        *args: Any,
        candidates: Any,
        members: list[Any],
        search_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("captain", "cadres", "volunteers"):
            self.fields[name].queryset = candidates
            self.fields[name].label_from_instance = candidate_label
        # Who is offered is bounded (the first candidates, the chosen ones, the search);
        # who is accepted is the queryset.
        self.first_candidates = candidate_pickers(self, offered=candidates, search_url=search_url)
        if not self.is_bound:
            self.initial = {
                "captain": next(
                    (m.volunteer_id for m in members if m.role == TeamRole.CAPTAIN), None
                ),
                "cadres": [m.volunteer_id for m in members if m.role == TeamRole.CADRE],
                "volunteers": [m.volunteer_id for m in members if m.role == TeamRole.VOLUNTEER],
            }
        self.helper = helper(_("保存队员"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        seen: dict[int, TeamRole] = {}
        people = [(data["captain"], TeamRole.CAPTAIN)] if data.get("captain") else []
        people += [(v, TeamRole.CADRE) for v in data.get("cadres") or []]
        people += [(v, TeamRole.VOLUNTEER) for v in data.get("volunteers") or []]
        for v, role in people:
            if v.pk in seen:
                raise duplicate_member(v, seen[v.pk], role)
            seen[v.pk] = role
        return data


# --- projects --------------------------------------------------------------------------------


class ProjectForm(VersionedFormMixin, TextLimitMixin, forms.ModelForm):
    class Meta:
        model = ServiceProject
        fields = list(PROJECT_FIELDS)
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "progress": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"progress": _("500字以内，主要做法、特色内容等。")}

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].label_from_instance = team_label
        if self.instance.pk:
            del self.fields["team"]
        else:
            team_picker(self, "team", offered=teams, search_url=reverse("service:team_search"))
        self.helper = helper(_("保存"))

    def clean_leader_phone(self) -> str:
        return validate_phone(self.cleaned_data["leader_phone"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", PERIOD_ORDER)
        return data


# --- activities ------------------------------------------------------------------------------


class ActivityForm(VersionedFormMixin, TextLimitMixin, forms.ModelForm):
    participants = PeopleChoiceField(
        queryset=None,
        label=_("参加人员"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        not_offered=NOT_A_MEMBER,
    )
    hours = forms.DecimalField(
        label=_("每人服务时长（小时）"),
        required=False,
        min_value=Decimal("0.1"),
        max_value=Decimal("24"),
        decimal_places=1,
        help_text=_("留空则按开始、结束时间计算。"),
    )
    photo1 = forms.FileField(label=_("活动图片 1"), required=False, help_text=limit_text(IMAGE))
    photo2 = forms.FileField(label=_("活动图片 2"), required=False)
    photo3 = forms.FileField(label=_("活动图片 3"), required=False)

    class Meta:
        model = Activity
        fields = list(ACTIVITY_FIELDS)
        widgets = {
            "date": DATE,
            "start_time": TIME,
            "end_time": TIME,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self, *args: Any, team: ServiceTeam, existing_photos: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.existing_photos = existing_photos
        self.fields["project"].queryset = team.projects.filter(
            status__in=[ProjectStatus.APPROVED, ProjectStatus.RUNNING]
        )
        self.fields["category"].queryset = team.campaign.categories.all()
        from volunteers.models import Volunteer

        self.fields["participants"].queryset = Volunteer.objects.filter(
            team_memberships__team=team
        ).order_by("name")
        if self.instance.pk:
            parts = list(self.instance.participations.all())
            self.initial["participants"] = [p.volunteer_id for p in parts]
            hours = {p.hours for p in parts}
            if len(hours) == 1:
                self.initial["hours"] = hours.pop()
        else:
            self.initial.setdefault("date", timezone.localdate())
        self.helper = helper(_("保存"))

    def clean_photos(self) -> list[Any]:
        return self.cleaned_data.get("_photos", [])

    def _clean_photo(self, name: str) -> None:
        upload = self.cleaned_data.get(name)
        if not upload:
            return
        try:
            self.cleaned_data.setdefault("_photos", []).append(clean_image(upload))
        except ValidationError as exc:
            self.add_error(name, exc)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", TIME_ORDER)
        for name in ("photo1", "photo2", "photo3"):
            self._clean_photo(name)
        photos = data.get("_photos", [])
        if self.existing_photos + len(photos) > MAX_PHOTOS:
            self.add_error(
                None,
                ValidationError(_("每条活动最多上传 %(max)s 张图片。"), params={"max": MAX_PHOTOS}),
            )
        if data.get("participants") and not data.get("hours"):
            if start and end and end > start:
                data["hours"] = activity_duration_hours(start, end)
            else:
                self.add_error("hours", HOURS_REQUIRED)
        when = data.get("date")
        if when and when > timezone.localdate():
            self.add_error("date", _("服务日期不能晚于今天。"))
        return data


class ParticipationHoursForm(VersionedFormMixin, TextLimitMixin, forms.Form):
    """One hours field per participant of an activity (pass it as ``versioned=``)."""

    def __init__(self, *args: Any, participations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participations = participations
        for p in participations:
            self.fields[f"hours_{p.pk}"] = forms.DecimalField(
                label=p.volunteer.name,
                initial=p.hours,
                min_value=Decimal("0"),
                max_value=Decimal("24"),
                decimal_places=1,
            )
        self.helper = helper(_("保存"))

    def hours_by_id(self) -> dict[int, Decimal]:
        return {p.pk: self.cleaned_data[f"hours_{p.pk}"] for p in self.participations}


class CertificateForm(TextLimitMixin, forms.Form):
    period_start = forms.DateField(label=_("服务起始日期"), widget=DATE)
    period_end = forms.DateField(label=_("服务截止日期"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.initial.setdefault("period_start", date(today.year, 1, 1))
        self.initial.setdefault("period_end", today)
        self.helper = helper(_("出具证明"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", PERIOD_ORDER)
        return data
