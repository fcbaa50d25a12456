"""Import/export of the union tree as xlsx (django-import-export, used in the admin).

Rows are matched by ``code``; a new union is placed under the union whose code is
in ``parent_code`` (empty for a root), so the exported file — ordered parents
first — re-imports into the same tree.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from unions.models import Union

UNKNOWN_PARENT = _("上级工会编码「%(code)s」不存在（上级须在本文件前面的行或已在系统中）。")


class UnionResource(resources.ModelResource):
    # No model attribute: read from the row in import_instance, written by dehydrate_parent_code.
    parent_code = fields.Field(column_name="parent_code")

    class Meta:
        model = Union
        import_id_fields = ("code",)
        fields = (
            "code",
            "parent_code",
            "name",
            "short_name",
            "kind",
            "contact_person",
            "contact_phone",
            "contact_email",
            "is_active",
        )
        export_order = fields
        skip_unchanged = True
        clean_model_instances = True

    def dehydrate_parent_code(self, union: Union) -> str:
        if union.depth <= 1:
            return ""
        parent = (
            Union.objects.chain_above(union).only("code").get(path=union.path[: -Union.steplen])
        )
        return parent.code

    def import_instance(self, instance: Union, row: Any, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        code = (row.get("parent_code") or "").strip()
        instance._import_parent = None  # type: ignore[attr-defined]
        if code:
            parent = Union.objects.filter(code=code).first()
            if parent is None:
                raise ValidationError({"parent_code": UNKNOWN_PARENT % {"code": code}})
            instance._import_parent = parent  # type: ignore[attr-defined]

    def validate_instance(self, instance: Union, *args: Any, **kwargs: Any) -> None:
        # path/depth are set by treebeard when the node is placed in the tree.
        if not instance.pk:
            instance.path, instance.depth = "0000", 1
        super().validate_instance(instance, *args, **kwargs)

    def save_instance(self, instance: Union, is_create: bool, row: Any, **kwargs: Any) -> None:
        self.before_save_instance(instance, row, **kwargs)
        if self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs):
            return
        parent: Union | None = getattr(instance, "_import_parent", None)
        if is_create:
            instance.path = ""
            if parent is not None:
                parent.refresh_from_db()
                Union.objects.add_child(parent, instance=instance)
            else:
                Union.objects.add_root(instance=instance)
        else:
            instance.save()
        self.after_save_instance(instance, row, **kwargs)
