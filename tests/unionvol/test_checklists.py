"""The Python-written checklist: what a template would escape, it escapes too."""

from __future__ import annotations

from typing import Any

from unionvol.checklists import Checklist


class _Boxes(Checklist):
    def rows(self, values: list[str]) -> list[tuple[Any, str, bool]]:
        return [(1, '<b onmouseover="x">工会</b>', "1" in values), ('2"><i>', "乙", False)]

    def search_attrs(self) -> dict[str, str]:
        return {"data-search-multi": '/s/?q="><script>'}


def test_labels_values_and_search_settings_are_escaped_and_ticks_kept() -> None:
    html = _Boxes().render("people", ["1"], attrs={"id": "id_people"})
    assert "<b " not in html
    assert "<i>" not in html
    assert "<script>" not in html
    assert "&lt;b onmouseover=&quot;x&quot;&gt;工会&lt;/b&gt;" in html
    assert (
        'value="1" id="id_people_0" data-search-multi="/s/?q=&quot;&gt;&lt;script&gt;" checked>'
        in html
    )
    assert html.count("data-search-multi") == 1  # on the first box only
    assert 'id="id_people_1">' in html  # the second box, unticked


def test_an_invalid_list_is_marked_for_its_error_text() -> None:
    html = _Boxes().render("people", [], attrs={"id": "id_people", "class": "is-invalid"})
    assert html.startswith('<div id="id_people" class="is-invalid" aria-invalid="true">')
    assert html.count('class="form-check-input is-invalid"') == 2
