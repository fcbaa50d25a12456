from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from unions.models import Membership, Role, Union
from unions.selectors import union_choices
from unions.services import FULL_ID_SELF
from unions.widgets import union_picker
from unionvol.forms import TextLimitMixin
from unionvol.locking import VersionedFormMixin
from unionvol.scoping import subtree_q


def crispy_helper(submit_label: Any) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", submit_label))
    return helper


class UnionForm(VersionedFormMixin, TextLimitMixin, forms.ModelForm):
    class Meta:
        model = Union
        fields = [
            "name",
            "short_name",
            "code",
            "kind",
            "contact_person",
            "contact_phone",
            "contact_email",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper(_("保存"))


class UnionMoveForm(TextLimitMixin, forms.Form):
    target = forms.ModelChoiceField(queryset=Union.objects.none(), label=_("新的上级工会"))

    def __init__(self, *args: Any, user: Any, union: Union, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = union_choices(user=user).exclude(subtree_q(union))
        union_picker(self, "target", user=user, outside=union)
        self.helper = crispy_helper(_("移动"))


class MemberCreateForm(TextLimitMixin, forms.Form):
    username = forms.RegexField(
        regex=r"^[\w.@+-]{3,150}$",
        label=_("用户名"),
        help_text=_("3–150个字符：字母、数字和 @/./+/-/_。"),
    )
    full_name = forms.CharField(label=_("姓名"), max_length=150)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    title = forms.CharField(label=_("职务"), max_length=40, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    password1 = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput(render_value=False),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = crispy_helper(_("添加成员"))

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该用户名已被使用。"))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class MemberUpdateForm(VersionedFormMixin, TextLimitMixin, forms.ModelForm):
    is_active = forms.BooleanField(
        label=_("启用账号"), required=False, help_text=_("停用后，该用户的所有会话立即失效。")
    )
    full_id = forms.BooleanField(
        label=_("可查看完整身份证号"),
        required=False,
        help_text=_(
            "持有此权限的成员可以看到完整的身份证号码和出生日期、按身份证号码查找、"
            "导出含完整号码的表格；每次查看和每次授予、撤销都记入审计日志。"
            "其他成员只看到隐去地区码和出生日期的号码。"
        ),
    )

    class Meta:
        model = Membership
        fields = ["role", "title", "phone"]

    def __init__(
        self, *args: Any, editor: Any = None, holds_full_id: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["is_active"].initial = self.instance.user.is_active
        self.fields["full_id"].initial = holds_full_id
        if editor is not None and editor.pk == self.instance.user_id:
            # Nobody grants themselves full ID numbers (the service refuses it too).
            self.fields["full_id"].disabled = True
            self.fields["full_id"].help_text = FULL_ID_SELF
        self.helper = crispy_helper(_("保存"))
