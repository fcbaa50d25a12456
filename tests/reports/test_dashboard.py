from __future__ import annotations

import re
from typing import Any

import pytest

from campaigns.models import CampaignAddressee
from reports import services
from reports.models import Submission
from reports.selectors import campaign_totals, completeness_matrix
from tests.factories import make_member, make_union
from tests.reports.helpers import make_records
from unions.models import Role

pytestmark = pytest.mark.django_db


def _submit(union: Any, milestone: Any, user: Any) -> Submission:
    services.ensure_submissions(milestone=milestone, unions=[union])
    sub = Submission.objects.get(union=union, milestone=milestone)
    sub = services.submission_save(
        submission=sub,
        user=user,
        version=sub.version,
        cleaned={"progress_0": "x", "narrative": "y"},
    )
    services.submission_submit(submission=sub, user=user, version=sub.version)
    sub.refresh_from_db()
    return sub


def test_matrix_states_and_rates(
    campaign: Any, dispatch_ms: Any, tree: Any, clerk_a: Any, issuer_reviewer: Any
) -> None:
    _submit(tree.district_a, dispatch_ms, clerk_a)
    matrix = completeness_matrix(campaign=campaign, user=issuer_reviewer)
    states = {u.code: [c["state"] for c in cells] for u, cells in matrix.rows}
    assert states == {"C-A": ["late", "pending"], "C-B": ["missing", "pending"]}
    col = matrix.columns[0]
    assert col.reporting_rate == 50.0
    assert col.on_time_rate == 0.0
    assert col.counts["late"] == 1
    assert col.counts["missing"] == 1


def test_matrix_of_an_addressee_shows_only_its_subtree(
    campaign: Any, tree: Any, clerk_a: Any
) -> None:
    matrix = completeness_matrix(campaign=campaign, user=clerk_a)
    assert [u.code for u, _cells in matrix.rows] == ["C-A"]


def test_totals_over_the_subtree_and_per_child(campaign: Any, tree: Any) -> None:
    make_records(tree.grassroots_a, campaign, people=2, activities=3)
    make_records(tree.grassroots_b, campaign, people=1, activities=1)
    totals = campaign_totals(campaign=campaign, root=tree.city)
    assert totals.total["activities"] == 4
    assert totals.total["person_times"] == 7
    assert totals.total["teams"] == 2
    assert totals.total["projects"] == 2
    assert totals.total["hours"] == 14.0
    per = {u.code: v for u, v in totals.children}
    assert per["C-A"]["person_times"] == 6
    assert per["C-B"]["person_times"] == 1
    assert per["C-A"]["volunteers_registered"] == 3
    drill = campaign_totals(campaign=campaign, root=tree.district_a)
    assert [u.code for u, _v in drill.children] == ["C-A-1"]
    assert drill.total["person_times"] == 6
    assert sum(h for _m, h in totals.months) == 14.0


def _grow(tree: Any, campaign: Any, milestone: Any, start: int, stop: int) -> None:
    for i in range(start, stop):
        u = make_union(tree.city, name=f"新增工会{i}", code=f"C-N{i:03d}")
        CampaignAddressee.objects.create(campaign=campaign, union=u)
        make_records(u, campaign, people=1, activities=1)
        Submission.objects.create(milestone=milestone, union=u, data={})
    tree.city.refresh_from_db()


def _count(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_query_count_is_the_same_for_3_and_30_unions(
    campaign: Any, dispatch_ms: Any, tree: Any, client_as: Any
) -> None:
    reviewer = make_member(tree.city, Role.REVIEWER)
    client = client_as(reviewer)
    url = f"/reports/campaigns/{campaign.pk}/dashboard/"
    _grow(tree, campaign, dispatch_ms, 0, 3)
    client.get(url)  # warm the session / membership caches
    small = _count(client, url)
    _grow(tree, campaign, dispatch_ms, 3, 30)
    large = _count(client, url)
    assert small == large
    assert large <= 28  # figures: 1 volunteers + 4 service + 3 relief queries, any number of unions
    assert client.get(url).content.decode().count("新增工会") >= 30


def test_dashboard_page_for_insider_viewer_outsider(
    campaign: Any,
    tree: Any,
    client_as: Any,
    issuer_reviewer: Any,
    viewer_city: Any,
    admin_b: Any,
) -> None:
    make_records(tree.grassroots_a, campaign)
    url = f"/reports/campaigns/{campaign.pk}/dashboard/"
    page = client_as(issuer_reviewer).get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body
    assert "<rect" in body
    assert "<script" not in body.split("</nav>", 1)[-1].split("<footer", 1)[0]
    assert "报送率" in body
    assert "按时率" in body
    assert client_as(viewer_city).get(url).status_code == 200
    assert client_as(viewer_city).post(url).status_code in (403, 405)
    # admin_b is an addressee (district_b): sees the campaign but only its own row
    resp = client_as(admin_b).get(url)
    assert resp.status_code == 200
    assert "甲区总工会" not in resp.content.decode().split("合计")[0]
    # drill-down outside the scope is 404
    assert client_as(admin_b).get(url + f"?union={tree.district_a.pk}").status_code == 404
    assert client_as(issuer_reviewer).get(url + f"?union={tree.district_a.pk}").status_code == 200
    printable = client_as(issuer_reviewer).get(url + "?print=1")
    assert printable.status_code == 200


def test_outsider_of_the_campaign_gets_404(tree: Any, client_as: Any, admin_b: Any) -> None:
    from tests.reports.factories import make_reporting_campaign

    c = make_reporting_campaign(tree.district_a, [tree.grassroots_a])
    assert client_as(admin_b).get(f"/reports/campaigns/{c.pk}/dashboard/").status_code == 404
    assert client_as(admin_b).get(f"/reports/campaigns/{c.pk}/").status_code == 404


def test_chart_labels_fit_their_slot_and_keep_the_full_name_as_a_tooltip() -> None:
    from reports.charts import bar_chart, text_width

    months = bar_chart("时长", [("2019-04", 36), ("2019-05", 28), ("2019-06", 25)])
    assert [b.label for b in months.bars] == ["2019-04", "2019-05", "2019-06"]
    many = bar_chart("人次", [(f"山东第{i}高等职业技术学院工会", i) for i in range(8)])
    for bar in many.bars:
        assert text_width(bar.label) <= 640 / 8 - 4
        assert bar.label.endswith("…")
        assert bar.full_label.startswith("山东第")


def test_totals_are_cached_for_the_configured_time(
    campaign: Any, tree: Any, settings: Any, django_assert_max_num_queries: Any
) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.UNIONVOL_DASHBOARD_CACHE_SECONDS = 60
    make_records(tree.grassroots_a, campaign, people=2, activities=3)
    first = campaign_totals(campaign=campaign, root=tree.city)
    make_records(tree.grassroots_b, campaign, people=1, activities=1)
    with django_assert_max_num_queries(1):  # only the children of the root
        again = campaign_totals(campaign=campaign, root=tree.city)
    assert again.total == first.total
    assert [(u.pk, v) for u, v in again.children] == [(u.pk, v) for u, v in first.children]
    cache.clear()
    assert campaign_totals(campaign=campaign, root=tree.city).total["activities"] == 4


def test_matrix_rows_are_paged_but_rates_count_every_union(
    campaign: Any, tree: Any, client_as: Any, monkeypatch: Any
) -> None:
    from campaigns.models import CampaignAddressee
    from reports import views
    from unions.models import Membership, Role

    monkeypatch.setattr(views, "MATRIX_PAGE_SIZE", 1)
    user = Membership.objects.filter(union=campaign.issuer, role=Role.REVIEWER).first()
    reviewer = user.user if user else None
    if reviewer is None:
        from tests.factories import make_member

        reviewer = make_member(campaign.issuer, Role.REVIEWER)
    names = list(
        CampaignAddressee.objects.filter(campaign=campaign).values_list("union__name", flat=True)
    )
    assert len(names) >= 2
    url = f"/reports/campaigns/{campaign.pk}/dashboard/"
    client = client_as(reviewer)
    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    printable = client.get(url + "?print=1").content.decode()
    shown = [n for n in names if f'<th class="fw-normal">{n}</th>' in first]
    assert len(shown) == 1
    assert all(f'<th class="fw-normal">{n}</th>' in printable for n in names)
    shown_next = [n for n in names if f'<th class="fw-normal">{n}</th>' in second]
    assert len(shown_next) == 1
    assert shown_next != shown


def test_matrix_counts_are_the_counts_of_its_rows(
    campaign: Any, dispatch_ms: Any, tree: Any, clerk_a: Any, issuer_reviewer: Any
) -> None:
    """The counts come from one grouped query, the rows a page at a time: they agree."""
    _grow(tree, campaign, dispatch_ms, 0, 4)  # four more addressees, with draft submissions
    _submit(tree.district_a, dispatch_ms, clerk_a)
    matrix = completeness_matrix(campaign=campaign, user=issuer_reviewer)
    rows = list(matrix.rows)
    assert len(rows) == len(matrix.rows) == 6
    assert matrix.rows[1:3] == rows[1:3]
    for i, col in enumerate(matrix.columns):
        states = [cells[i]["state"] for _u, cells in rows]
        assert col.counts == {state: states.count(state) for state in col.counts}
        assert col.reported + col.missing == len(rows)


def test_the_dashboard_shows_each_childs_figures_and_draws_them(
    campaign: Any, tree: Any, client_as: Any, issuer_reviewer: Any
) -> None:
    """The drill-down table and the charts as the user gets them: a row per child union
    with the figures of campaign_totals in FIGURE_KEYS order, linked to its own figures
    (not on the printable view), and a bar per child with its 人次 in its title."""
    from reports.figures import FIGURE_KEYS

    make_records(tree.grassroots_a, campaign)
    url = f"/reports/campaigns/{campaign.pk}/dashboard/"
    totals = campaign_totals(campaign=campaign, root=tree.city)
    body = client_as(issuer_reviewer).get(url).content.decode()
    table = body.split("下级工会</th>")[1].split("</table>")[0]
    for union, values in totals.children:
        row = table.split(f'<a href="?union={union.pk}">{union.name}</a></td>')[1]
        cells = re.findall(r'<td class="text-end">([^<]*)</td>', row.split("</tr>")[0])
        assert cells == [str(values.get(k, 0)) for k in FIGURE_KEYS]
        times = values.get("person_times", 0)
        assert f"<title>{union.display_name}: {times:g}</title>" in body
    assert any(v.get("person_times") for _u, v in totals.children)  # something was drawn
    printable = client_as(issuer_reviewer).get(url + "?print=1").content.decode()
    assert "?union=" not in printable.split("下级工会</th>")[1].split("</table>")[0]
