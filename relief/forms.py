from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from relief.models import (
    STAFF_ROLES,
    Donation,
    HardshipFile,
    MicroWish,
    ReliefGrant,
    Visit,
)
from unions.models import Union
from unions.widgets import union_picker
from unionvol.forms import IdNumberField, PhoneField, TextLimitMixin
from unionvol.idnumbers import validate_id_number, validate_phone
from unionvol.locking import VersionedFormMixin
from unionvol.uploads import IMAGE, clean_image, limit_text

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Attach a service error to its field, or to the form when the field is not on it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class CrispyMixin:
    submit_label: Any = _("保存")

    def setup_helper(self) -> None:
        self.helper = FormHelper()  # type: ignore[attr-defined]
        self.helper.add_input(Submit("submit", self.submit_label))  # type: ignore[attr-defined]


def staff_of(union: Union) -> Any:
    return (
        get_user_model()
        .objects.filter(membership__union=union, membership__role__in=STAFF_ROLES, is_active=True)
        .order_by("username")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        full = obj.get_full_name()
        return f"{full}（{obj.username}）" if full else obj.username


class HardshipFileForm(TextLimitMixin, CrispyMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    contact_person = UserChoiceField(queryset=None, required=False, label=_("联系人"))

    class Meta:
        model = HardshipFile
        fields = [
            "name",
            "id_number",
            "phone",
            "family_size",
            "family_members",
            "income_source",
            "monthly_income",
            "per_capita_income",
            "health",
            "cause",
            "degree",
            "contact_person",
            "status",
            "reviewed_on",
            "note",
        ]
        widgets = {
            "reviewed_on": DATE_WIDGET,
            "family_members": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"id_number": IdNumberField, "phone": PhoneField}

    def __init__(self, *args: Any, union: Union, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_person"].queryset = staff_of(union)
        self.fields["per_capita_income"].required = False
        self.fields["per_capita_income"].help_text = _("留空则按家庭月收入 ÷ 家庭人口计算。")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            # The full number is never sent to the browser again: the field shows the
            # masked number as a placeholder, and left empty keeps the stored number.
            self.initial["id_number"] = ""
            field = self.fields["id_number"]
            field.required = False
            field.widget.attrs["placeholder"] = self.instance.masked_id
            field.help_text = _("留空则保持原身份证号不变。")
        self.setup_helper()

    def clean_id_number(self) -> str:
        value = self.cleaned_data.get("id_number") or ""
        if not value.strip() and self.instance.pk:
            return HardshipFile.objects.values_list("id_number", flat=True).get(pk=self.instance.pk)
        return validate_id_number(value)

    def clean_phone(self) -> str:
        return validate_phone(self.cleaned_data["phone"])

    def validate_unique(self) -> None:
        # union is not on the form; the service checks uniqueness with full_clean.
        pass


class PairingForm(TextLimitMixin, CrispyMixin, forms.Form):
    submit_label = _("结对")
    volunteer = forms.ModelChoiceField(queryset=None, label=_("结对志愿者"))
    start = forms.DateField(label=_("结对开始"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, shortlist: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = shortlist
        self.fields["volunteer"].label_from_instance = lambda v: (
            f"{v.name}（{v.union.display_name}，{v.phone}）"
            + (f" · {_('进行中结对')} {v.active_pairings}" if v.active_pairings else "")
        )
        self.setup_helper()


class PairingEndForm(TextLimitMixin, forms.Form):
    end = forms.DateField(label=_("结对结束"), widget=DATE_WIDGET)


class GrantForm(VersionedFormMixin, TextLimitMixin, CrispyMixin, forms.ModelForm):
    class Meta:
        model = ReliefGrant
        fields = ["campaign", "fund_type", "amount", "granted_on", "card_tail", "note"]
        widgets = {"granted_on": DATE_WIDGET}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)
        self.fields["card_tail"].widget.attrs.update({"inputmode": "numeric", "maxlength": 4})
        self.fields["card_tail"].help_text = _("只填写银行卡号最后4位，不要填写完整卡号。")
        self.fields["card_tail"].error_messages["max_length"] = _("银行卡号只填写后4位数字。")
        self.setup_helper()

    def clean_amount(self) -> Any:
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0 and not self.instance.reverses_id:
            raise ValidationError(_("金额必须大于0。"))
        return amount

    def _post_clean(self) -> None:
        # Constraints that involve the entry's status are checked by the service.
        pass


class ReverseForm(TextLimitMixin, forms.Form):
    granted_on = forms.DateField(label=_("冲销日期"), widget=DATE_WIDGET, required=False)
    note = forms.CharField(label=_("冲销原因"), max_length=200, required=False)


class VisitForm(VersionedFormMixin, TextLimitMixin, CrispyMixin, forms.ModelForm):
    class Meta:
        model = Visit
        fields = [
            "visited_on",
            "campaign",
            "file",
            "category",
            "visited_name",
            "visitors",
            "gift",
            "money",
            "note",
        ]
        widgets = {"visited_on": DATE_WIDGET}
        help_texts = {
            "file": _("走访建档困难职工时选择；走访其他人员时留空，填写类别和姓名。"),
        }

    def __init__(self, *args: Any, user: Any, files: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)
        self.fields["file"].queryset = files
        self.setup_helper()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("file") and not (data.get("visited_name") or "").strip():
            self.add_error("visited_name", _("请选择困难职工，或填写慰问对象姓名。"))
        return data

    def _post_clean(self) -> None:
        pass


class DonationForm(VersionedFormMixin, TextLimitMixin, CrispyMixin, forms.ModelForm):
    class Meta:
        model = Donation
        fields = ["union", "campaign", "amount", "donors", "note"]

    def __init__(self, *args: Any, user: Any, unions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)
        self.fields["union"].queryset = unions
        self.setup_helper()

    def validate_unique(self) -> None:
        # Checked again by the service inside its transaction.
        super().validate_unique()


class WarmthStatsForm(TextLimitMixin, forms.Form):
    campaign = forms.ModelChoiceField(queryset=None, label=_("活动通知"))
    union = forms.ModelChoiceField(queryset=None, label=_("工会"))
    aggregate = forms.BooleanField(label=_("按下级工会汇总"), required=False)

    def __init__(self, *args: Any, campaigns: Any, unions: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["union"].queryset = unions
        for name in ("campaign", "union"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        union_picker(self, "union", user=user, include_inactive=True)
        self.fields["aggregate"].widget.attrs["class"] = "form-check-input"


class WishForm(TextLimitMixin, CrispyMixin, forms.ModelForm):
    submit_label = _("发布")

    class Meta:
        model = MicroWish
        fields = ["file", "beneficiary_name", "category", "wish", "estimated_value"]
        help_texts = {
            "file": _("为建档困难职工发布时选择；否则留空并填写受助人姓名。"),
            "beneficiary_name": _("公开心愿墙只显示姓氏加「某」。"),
        }

    def __init__(self, *args: Any, files: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].queryset = files
        self.fields["beneficiary_name"].required = False
        self.setup_helper()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("file") and not (data.get("beneficiary_name") or "").strip():
            self.add_error("beneficiary_name", _("请选择困难职工，或填写受助人姓名。"))
        return data


class ClaimForm(TextLimitMixin, CrispyMixin, forms.Form):
    submit_label = _("我来认领")
    name = forms.CharField(label=_("姓名"), max_length=40)
    phone = PhoneField(label=_("联系电话"), required=False)

    def __init__(self, *args: Any, phone_required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = phone_required
        self.setup_helper()

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone") or ""
        return validate_phone(phone) if phone else ""


class FulfilForm(TextLimitMixin, CrispyMixin, forms.Form):
    submit_label = _("登记实现情况")
    note = forms.CharField(label=_("实现情况"), widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("照片"), required=False, help_text=limit_text(IMAGE))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_helper()

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        return clean_image(photo) if photo else None
