from __future__ import annotations

from typing import Any

import pytest
import tablib

from unions.models import Union
from unions.resources import UnionResource

pytestmark = pytest.mark.django_db


def test_the_tree_exports_and_reimports_as_xlsx(tree: Any) -> None:
    data = UnionResource().export()
    xlsx = data.export("xlsx")
    assert data.headers[:3] == ["code", "parent_code", "name"]
    assert dict(zip(data["code"], data["parent_code"], strict=True))["C-A-1"] == "C-A"

    Union.objects.all().delete()
    dataset = tablib.Dataset().load(xlsx, format="xlsx")
    result = UnionResource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    grassroots = Union.objects.get(code="C-A-1")
    assert grassroots.is_within(Union.objects.get(code="C-A"))
    assert grassroots.depth == 3


def test_reimporting_the_same_file_changes_nothing(tree: Any) -> None:
    xlsx = UnionResource().export().export("xlsx")
    dataset = tablib.Dataset().load(xlsx, format="xlsx")
    result = UnionResource().import_data(dataset, dry_run=False)
    assert not result.has_errors()
    assert result.totals["new"] == 0
    assert result.totals["update"] == 0


def test_an_unknown_parent_is_a_row_error_and_nothing_is_written(tree: Any) -> None:
    dataset = tablib.Dataset(headers=["code", "parent_code", "name", "kind"])
    dataset.append(["NEW-1", "C-A", "新工会一", "grassroots"])
    dataset.append(["NEW-2", "NOPE", "新工会二", "grassroots"])
    result = UnionResource().import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )
    assert result.has_validation_errors() or result.has_errors()
    assert not Union.objects.filter(code__startswith="NEW-").exists()
