from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from unions.widgets import union_picker
from unionvol.forms import TextLimitMixin
from unionvol.sheets import SHEETS
from unionvol.uploads import IMAGE, XLSX, limit_text


class ReviewForm(TextLimitMixin, forms.Form):
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PhotoForm(TextLimitMixin, forms.Form):
    image = forms.FileField(label=_("活动图片"), help_text=limit_text(IMAGE))


class ImportForm(TextLimitMixin, forms.Form):
    file = forms.FileField(label=_("Excel 文件"), help_text=limit_text(XLSX))


def form_choices() -> list[tuple[str, str]]:
    return [(key, str(form.title)) for key, form in SHEETS.items()]


class ExportForm(TextLimitMixin, forms.Form):
    KIND_CHOICES = [
        ("form", _("单个工会报表")),
        ("aggregate", _("汇总报表（下级工会逐一列出并合计）")),
        ("campaign", _("整个活动工作簿（每个报表一张表，另含报送完成情况）")),
    ]
    kind = forms.ChoiceField(label=_("导出内容"), choices=KIND_CHOICES)
    form = forms.ChoiceField(label=_("报表"), choices=(), required=False)
    milestone = forms.ModelChoiceField(
        label=_("时间节点"),
        queryset=None,
        required=False,
        help_text=_("留空则取该报表最近的时间节点。"),
    )
    union = forms.ModelChoiceField(label=_("工会"), queryset=None, required=True)

    def __init__(self, *args: Any, unions: Any, milestones: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [("", "—"), *form_choices()]
        self.fields["union"].queryset = unions
        union_picker(self, "union", user=user, include_inactive=True)
        self.fields["milestone"].queryset = milestones
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        milestone = data.get("milestone")
        if milestone is not None and not data.get("form"):
            data["form"] = milestone.form
        if data.get("kind") in ("form", "aggregate") and not data.get("form"):
            self.add_error("form", _("请选择报表。"))
        elif milestone is not None and data.get("form") != milestone.form:
            self.add_error("milestone", _("该时间节点报送的不是所选报表。"))
        return data
