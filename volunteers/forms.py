from __future__ import annotations

import copy
import re
from typing import Any

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, CampaignStatus
from unions.models import Union
from unions.selectors import union_choices
from unions.widgets import union_picker
from unionvol.forms import IdNumberField, NormalisedCharField, PhoneField, TextLimitMixin
from unionvol.idnumbers import normalize_id_number
from unionvol.uploads import IMAGE, XLSX, clean_image, limit_text
from volunteers.models import ApprovalDecision, Gender, Specialty, Volunteer
from volunteers.privacy import IDENTITY_CHANGE_HELP, KEEP_ID_HELP
from volunteers.selectors import normalize_reference, recruiting_campaigns
from volunteers.services import identity_change_restarts

MODEL_FIELDS = [
    "name",
    "political_status",
    "id_number",
    "phone",
    "work_start",
    "education",
    "health",
    "workplace",
    "specialties",
    "resume",
    "application",
    "identity",
    "member_type",
    "national_registered",
    "national_number",
]
CONSENT_REQUIRED = _("请阅读并同意个人信息处理说明后再提交。")

NO_CAMPAIGN_CHOSEN = _(
    "请选择本志愿者所属的招募通知；确实不属于任何招募通知时，请勾选下方的确认项。"
)


def _model_fields() -> dict[str, forms.Field]:
    fields = forms.fields_for_model(
        Volunteer,
        fields=MODEL_FIELDS,
        widgets={
            "work_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "specialties": forms.CheckboxSelectMultiple,
            "resume": forms.Textarea(attrs={"rows": 4}),
            "application": forms.Textarea(attrs={"rows": 3}),
        },
        field_classes={"id_number": IdNumberField, "phone": PhoneField},
    )
    fields["specialties"].queryset = Specialty.objects.all()
    fields["phone"].required = True
    fields["id_number"].help_text = _("18位，最后一位可以是X；性别和出生日期按号码自动识别。")
    return fields


class VolunteerForm(TextLimitMixin, forms.Form):
    """The 登记表 (seed 001 附件2) plus 身份, 会员类别, 全国志愿服务信息系统 and campaign."""

    text_model = Volunteer

    gender = forms.ChoiceField(
        label=_("性别"),
        required=False,
        choices=[("", _("按身份证号码自动识别")), *Gender.choices],
        help_text=_("可不填；填写时必须与身份证号码一致。"),
    )
    photo = forms.FileField(
        label=_("照片"),
        required=False,
        help_text=limit_text(IMAGE),
        widget=forms.ClearableFileInput,
    )

    def __init__(
        self, *args: Any, user: Any, instance: Volunteer | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance
        model_fields = _model_fields()
        ordered = [
            ("name", model_fields["name"]),
            ("gender", self.fields["gender"]),
            ("political_status", model_fields["political_status"]),
            ("photo", self.fields["photo"]),
            *[(n, model_fields[n]) for n in MODEL_FIELDS[2:]],
        ]
        self.fields = dict(ordered)
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png"
        if instance is None:
            self.fields["union"] = forms.ModelChoiceField(
                label=_("登记工会"), queryset=union_choices(user=user)
            )
            union_picker(self, "union", user=user)
            campaigns = recruiting_campaigns(user=user)
            self.fields["campaign"] = forms.ModelChoiceField(
                label=_("招募通知"),
                queryset=campaigns,
                required=False,
                empty_label=_("（请选择招募通知）"),
            )
            # The registration starts from its notice: the one open recruiting campaign is
            # the default; registering outside every notice is a deliberate, ticked choice.
            open_ones = list(campaigns.filter(status=CampaignStatus.PUBLISHED)[:2])
            self.open_campaigns = len(open_ones)
            if len(open_ones) == 1:
                self.initial.setdefault("campaign", open_ones[0].pk)
            self.fields["no_campaign"] = forms.BooleanField(
                label=_("本志愿者不属于任何招募通知"), required=False
            )
        else:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)
            for name in MODEL_FIELDS:
                value = getattr(instance, name) if name != "specialties" else None
                self.initial.setdefault(name, value)
            # The full number is never sent to the browser again, whoever edits: the
            # field shows the mask as a placeholder, and left empty keeps the number.
            self.initial["id_number"] = ""
            id_field = self.fields["id_number"]
            id_field.required = False
            id_field.widget.attrs["placeholder"] = instance.masked_id
            id_field.help_text = KEEP_ID_HELP
            if identity_change_restarts(instance):
                for name in ("name", "id_number"):
                    help_text = self.fields[name].help_text
                    self.fields[name].help_text = (
                        format_lazy("{} {}", help_text, IDENTITY_CHANGE_HELP)
                        if help_text
                        else IDENTITY_CHANGE_HELP
                    )
            self.initial.setdefault("specialties", [s.pk for s in instance.specialties.all()])
            self.initial.setdefault("gender", instance.gender)
            self.initial.setdefault("version", instance.version)
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.attrs = {"novalidate": ""}
        basic = [
            Div(
                Div("name", css_class="col-md-4"),
                Div("gender", css_class="col-md-4"),
                Div("political_status", css_class="col-md-4"),
                css_class="row",
            ),
            Div(
                Div("id_number", css_class="col-md-6"),
                Div("phone", css_class="col-md-6"),
                css_class="row",
            ),
            Div(
                Div("work_start", css_class="col-md-4"),
                Div("education", css_class="col-md-4"),
                Div("health", css_class="col-md-4"),
                css_class="row",
            ),
            "workplace",
            "photo",
            InlineCheckboxes("specialties"),
            "resume",
            "application",
        ]
        extra = [
            Div(
                Div("identity", css_class="col-md-6"),
                Div("member_type", css_class="col-md-6"),
                css_class="row",
            ),
            Div(
                Div("national_registered", css_class="col-md-6"),
                Div("national_number", css_class="col-md-6"),
                css_class="row",
            ),
        ]
        if instance is None:
            extra += [
                Div(
                    Div("union", css_class="col-md-6"),
                    Div("campaign", "no_campaign", css_class="col-md-6"),
                    css_class="row",
                )
            ]
        else:
            extra.append("version")
        self.helper.layout = Layout(
            Fieldset(_("工会服务帮扶志愿者登记表"), *basic),
            Fieldset(_("其他信息"), *extra),
        )
        self.helper.add_input(Submit("submit", _("保存") if instance else _("提交登记")))
        self.limit_text_fields()  # the fields were assembled after the mixin's __init__

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            "campaign" in self.fields
            and getattr(self, "open_campaigns", 0)
            and not data.get("campaign")
            and not data.get("no_campaign")
        ):
            self.add_error("campaign", NO_CAMPAIGN_CHOSEN)
        return data

    def clean_photo(self) -> Any:
        upload = self.cleaned_data.get("photo")
        if upload is False:
            return False  # "clear" ticked on the edit page
        if not upload:
            return None
        return clean_image(upload)

    def service_data(self) -> dict[str, Any]:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("union", "campaign", "no_campaign")
        }
        data.pop("version", None)
        if self.instance is not None and not data.get("id_number"):
            data.pop("id_number", None)  # left empty: the stored number stays
        return data

    def changes_id_number(self) -> bool:
        """Whether a (new) ID number was typed: what the per-user lookup limit counts."""
        number = self.cleaned_data.get("id_number") if hasattr(self, "cleaned_data") else ""
        if not number:
            return False
        return self.instance is None or number != self.instance.id_number

    def add_service_error(self, exc: ValidationError) -> None:
        """Put a service's errors on the fields they name (others on the form)."""
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, exc)


class DecisionForm(TextLimitMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("审批结果"),
        choices=[
            (ApprovalDecision.APPROVED, ApprovalDecision.APPROVED.label),
            (ApprovalDecision.RETURNED, ApprovalDecision.RETURNED.label),
            (ApprovalDecision.REJECTED, ApprovalDecision.REJECTED.label),
        ],
        widget=forms.RadioSelect,
        initial=ApprovalDecision.APPROVED,
    )
    opinion = forms.CharField(
        label=_("审批意见"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不同意或退回时必填。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("提交审批意见")))


class BulkApproveForm(TextLimitMixin, forms.Form):
    opinion = forms.CharField(label=_("审批意见"), max_length=500, required=False)


class SearchIdForm(TextLimitMixin, forms.Form):
    id_number = IdNumberField(label=_("身份证号"))


class ImportUploadForm(TextLimitMixin, forms.Form):
    file = forms.FileField(label=_("花名册文件"), help_text=limit_text(XLSX))
    union = forms.ModelChoiceField(label=_("登记工会"), queryset=Union.objects.none())
    campaign = forms.ModelChoiceField(
        label=_("招募通知"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("（不属于招募通知）"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = union_choices(user=user)
        union_picker(self, "union", user=user)
        self.fields["campaign"].queryset = recruiting_campaigns(user=user)
        self.fields["file"].widget.attrs["accept"] = ".xlsx"
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("submit", _("上传并预览")))


class PublicApplyForm(TextLimitMixin, forms.Form):
    """A member of the public applies: the 登记表 without the office fields."""

    text_model = Volunteer

    union = forms.ModelChoiceField(
        label=_("报名工会"),
        queryset=Union.objects.none(),  # any active union, set per form (in its scope)
        help_text=_("先在上方搜索框中输入工会名称查找，再从列表中选择。"),
    )
    consent = forms.BooleanField(
        label=_("我已阅读并同意：工会为办理志愿者登记、审核和联系，收集和使用本人填写的个人信息。"),
        required=True,
        error_messages={"required": CONSENT_REQUIRED},
    )

    def __init__(
        self, *args: Any, union_matches: Any = None, fixed_union: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        model_fields = _model_fields()
        fields: dict[str, forms.Field] = {
            "union": self.fields["union"],
            "name": model_fields["name"],
            "gender": copy.deepcopy(VolunteerForm.base_fields["gender"]),
            "political_status": model_fields["political_status"],
            "id_number": model_fields["id_number"],
            "phone": model_fields["phone"],
            "work_start": model_fields["work_start"],
            "education": model_fields["education"],
            "health": model_fields["health"],
            "workplace": model_fields["workplace"],
            "specialties": model_fields["specialties"],
            "identity": model_fields["identity"],
            "member_type": model_fields["member_type"],
            "resume": model_fields["resume"],
            "application": model_fields["application"],
            "consent": self.fields["consent"],
        }
        self.fields = fields
        self.fields["union"].queryset = Union.objects.filter(is_active=True)
        # Only the matches of the search (or the union already chosen) are listed;
        # validation still accepts any active union.
        if fixed_union is not None:
            # A short link names the union: the page says which, the form carries it.
            self.fields["union"].queryset = Union.objects.filter(pk=fixed_union.pk)
            self.fields["union"].widget = forms.HiddenInput()
            self.initial["union"] = fixed_union.pk
        elif union_matches is not None:
            self.fields["union"].widget.choices = [
                ("", "---------"),
                *[(u.pk, u.name) for u in union_matches],
            ]
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("提交报名")))
        self.limit_text_fields()  # the fields were assembled after the mixin's __init__

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("union", "consent")}

    add_service_error = VolunteerForm.add_service_error


REFERENCE_FORMAT = _("报名编号的格式为「UV-年份-六位字母或数字」，例如 UV-2026-AB3C7K。")
TAIL_FORMAT = _("请填写身份证号码的最后四位（数字，最后一位可以是X）。")
_TAIL_RE = re.compile(r"^[0-9]{3}[0-9X]$")
_REFERENCE_RE = re.compile(r"^UV-[0-9]{4}-[A-Z0-9]{6}$")


class ReferenceField(NormalisedCharField):
    normalise = staticmethod(normalize_reference)
    default_attrs = {"autocomplete": "off", "spellcheck": "false"}


class IdTailField(NormalisedCharField):
    normalise = staticmethod(normalize_id_number)
    default_attrs = {"autocomplete": "off", "spellcheck": "false", "size": "6"}


class ApplicationStatusForm(TextLimitMixin, forms.Form):
    """报名进度查询: the 报名编号 and the last four characters of the ID number."""

    reference = ReferenceField(
        label=_("报名编号"),
        max_length=30,
        help_text=_("报名成功后页面上显示的编号，例如 UV-2026-AB3C7K。"),
    )
    id_tail = IdTailField(
        label=_("身份证号码后四位"),
        max_length=10,
        help_text=_("最后一位是X的，填写X。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("查询")))

    def clean_reference(self) -> str:
        value = self.cleaned_data["reference"]
        if not _REFERENCE_RE.match(value):
            raise ValidationError(REFERENCE_FORMAT, code="format")
        return str(value)

    def clean_id_tail(self) -> str:
        value = self.cleaned_data["id_tail"]
        if not _TAIL_RE.match(value):
            raise ValidationError(TAIL_FORMAT, code="format")
        return str(value)


class ApplyLinkUnionForm(TextLimitMixin, forms.Form):
    """The union whose 报名二维码 the page shows (a GET form)."""

    union = forms.ModelChoiceField(
        label=_("报名工会"), queryset=Union.objects.none(), empty_label=_("（请选择工会）")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = union_choices(user=user)
        self.fields["union"].widget.attrs["class"] = "form-select form-select-sm"
        union_picker(self, "union", user=user)


class QuotaRowForm(TextLimitMixin, forms.Form):
    """One row of the 名额分配表 editor (序号 is the row's position)."""

    allocation = forms.IntegerField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    union = forms.ModelChoiceField(
        label=_("区市县、产业工会"), queryset=Union.objects.none(), required=False
    )
    quota = forms.IntegerField(label=_("人数"), min_value=0, max_value=1_000_000, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        unions: Any = None,
        user: Any = None,
        issuer: Union | None = None,
        picker_cache: dict[Any, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if unions is not None:
            self.fields["union"].queryset = unions
        self.fields["union"].widget.attrs["class"] = "form-select form-select-sm"
        if user is not None:
            # The rows offer the issuer's children; the search reaches the rest below it.
            union_picker(self, "union", user=user, base=issuer, under=issuer, cache=picker_cache)
        self.fields["quota"].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["note"].widget.attrs["class"] = "form-control form-control-sm"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = data.get("union") is not None or data.get("quota") is not None
        if filled and not self.cleaned_data.get("DELETE"):
            if data.get("union") is None:
                self.add_error("union", _("请选择工会。"))
            if data.get("quota") is None:
                self.add_error("quota", _("请填写人数。"))
        return data


QuotaFormSet = forms.formset_factory(QuotaRowForm, extra=3, can_delete=True)
