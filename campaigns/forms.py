"""Forms of the campaigns app (crispy, bootstrap5). Choices always come from the
user's scope; the services do the writing and the final checks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import ActivityCategory, Campaign, Milestone
from campaigns.services import CAMPAIGN_FIELDS, PERIOD_ORDER
from unions.models import Union
from unions.widgets import union_checklist
from unionvol.formhelpers import DATE, helper
from unionvol.forms import TextLimitMixin, quick_selects
from unionvol.locking import VersionedFormMixin
from unionvol.scoping import subtree_q

HOURS_REQUIRED = _("请填写每人服务时长，或填写开始和结束时间以自动计算。")


class CampaignForm(VersionedFormMixin, TextLimitMixin, forms.ModelForm):
    addressees = forms.ModelMultipleChoiceField(
        queryset=Union.objects.none(),
        label=_("主送单位"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("默认为发文单位的全部直属下级工会。"),
    )

    class Meta:
        model = Campaign
        fields = list(CAMPAIGN_FIELDS)
        widgets = {"issue_date": DATE, "period_start": DATE, "period_end": DATE}

    def __init__(self, *args: Any, issuer: Union, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.issuer = issuer
        below = Union.objects.filter(
            subtree_q(issuer), depth__gt=issuer.depth, is_active=True
        ).order_by("path")
        self.fields["addressees"].queryset = below
        # A province has a thousand unions below it: the boxes are its direct children
        # and the unions already addressed; the search adds any other.
        union_checklist(self, "addressees", base=issuer)
        if self.instance.pk:
            self.initial["addressees"] = list(
                self.instance.addressee_rows.values_list("union_id", flat=True)
            )
        else:
            self.initial["addressees"] = list(
                below.filter(depth=issuer.depth + 1).values_list("pk", flat=True)
            )
            self.initial.setdefault("issue_date", timezone.localdate())
        self.helper = helper(_("保存"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", PERIOD_ORDER)
        return data

    def validate_unique(self) -> None:
        # The service checks the document number with a clearer message.
        pass


class MilestoneForm(VersionedFormMixin, TextLimitMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "form", "opens_on", "due_date", "lock_after_days"]
        widgets = {"opens_on": DATE, "due_date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = helper(_("保存"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, due = data.get("opens_on"), data.get("due_date")
        if opens and due and due < opens:
            self.add_error("due_date", PERIOD_ORDER)
        return data


class CategoriesForm(VersionedFormMixin, TextLimitMixin, forms.Form):
    """The whole category list of one campaign (pass the campaign as ``versioned=``)."""

    names = forms.CharField(
        label=_("活动类别"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("每行一个类别，按顺序排列。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = helper(_("保存"))

    def clean_names(self) -> list[str]:
        names = [n.strip() for n in self.cleaned_data["names"].splitlines() if n.strip()]
        too_long = [
            n for n in names if len(n) > ActivityCategory._meta.get_field("name").max_length
        ]
        if too_long:
            raise ValidationError(_("类别名称过长：%(name)s"), params={"name": too_long[0]})
        return names


class CampaignFilterForm(TextLimitMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        from campaigns.models import CampaignKind, CampaignStatus

        super().__init__(*args, **kwargs)
        every = [("", _("全部"))]
        self.fields["kind"].choices = every + list(CampaignKind.choices)
        self.fields["status"].choices = every + list(CampaignStatus.choices)
        self.fields["year"].choices = every + [(y, str(y)) for y in years]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
        quick_selects(self)  # a filter bar: written in Python, not three widget templates
