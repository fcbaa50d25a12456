"""django-import-export in the admin, held to the rules of the rest of unionvol.

* Imports go through :func:`unionvol.uploads.validate_xlsx` when the form is
  checked (the upload is refused before it is stored or read) and are read with
  :func:`unionvol.uploads.open_xlsx` (the same limits, a deadline, rows bounded),
  also on the confirmation step, which reads the stored copy again.
* Exports are written through :class:`unionvol.xlsx.SafeWorkbook`, so a value
  beginning with ``=``, ``+``, ``-`` or ``@`` is a text cell, never a formula.

An admin class offers import/export by inheriting :class:`SafeImportExportMixin`
instead of ``ImportExportMixin``.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX
from import_export.forms import ImportForm
from tablib import Dataset

from unionvol.forms import TextLimitMixin
from unionvol.uploads import open_xlsx, validate_xlsx
from unionvol.xlsx import Column, SafeWorkbook


class SafeXLSX(XLSX):
    """Excel (.xlsx) read by the upload validator and written formula-safe."""

    def create_dataset(self, in_stream: bytes) -> Dataset:
        upload = io.BytesIO(in_stream)
        upload.name = "import.xlsx"  # the validator checks the extension
        wb = open_xlsx(upload)
        try:
            rows = wb.active.iter_rows(values_only=True)
            dataset = Dataset()
            dataset.headers = list(next(rows, ()))
            skip_blank = getattr(settings, "IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES", False)
            for row in rows:
                if skip_blank and all(value is None for value in row):
                    continue
                dataset.append(list(row))
        finally:
            wb.close()
        return dataset

    def export_data(self, dataset: Dataset, **kwargs: Any) -> bytes:
        wb = SafeWorkbook()
        sheet = wb.add_sheet(
            dataset.title or "Sheet", [Column(str(h), width=16) for h in dataset.headers or []]
        )
        sheet.header()
        for row in dataset:
            sheet.row(row)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()


class SafeImportForm(TextLimitMixin, ImportForm):
    def clean_import_file(self) -> Any:
        upload = self.cleaned_data["import_file"]
        validate_xlsx(upload)
        return upload


class SafeImportExportMixin(ImportExportMixin):
    formats = [SafeXLSX]
    import_form_class = SafeImportForm

    def add_data_read_fail_error_to_form(self, form: Any, e: Exception) -> None:
        # The library's message names only the exception class; ours says what is wrong.
        if isinstance(e, ValidationError):
            for message in e.messages:
                form.add_error("import_file", message)
            return
        super().add_data_read_fail_error_to_form(form, e)

    def get_export_data(self, file_format: Any, request: Any, queryset: Any, **kwargs: Any) -> Any:
        if not self.has_export_permission(request):
            raise PermissionDenied
        # Native values (booleans, dates) for the workbook; the library decides this by
        # exact format class, which SafeXLSX is not.
        data = self.get_data_for_export(request, queryset, force_native_type=True, **kwargs)
        return file_format.export_data(data)
