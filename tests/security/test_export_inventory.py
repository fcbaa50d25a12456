"""Issue 12 item 6: every export is formula-safe — the admin's, the app's downloads and
the export jobs — and no spreadsheet or CSV is written except through the one safe
workbook (unionvol.xlsx.SafeWorkbook).

Two lists: the modules that may touch a spreadsheet writer at all (read from the
source), and every URL that answers with a spreadsheet (found by requesting every URL
with text that looks like a formula in the records it shows). The admin's exports are
listed and checked in tests/security/test_import_bombs.py (every ModelAdmin offering
import or export uses the safe format; a union named "=1+2" exports as text).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from openpyxl import load_workbook

from tests.factories import drain, make_member, make_volunteer
from tests.test_crawl_hostile import crawl_urls
from unions.models import Role, Union
from unionvol.xlsx import XLSX_CONTENT_TYPE

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
APPS = ("unionvol", "unions", "campaigns", "volunteers", "service", "relief", "reports")

# Who may write a spreadsheet without going through SafeWorkbook.row/cell, and why.
WRITERS = {
    "unionvol/xlsx/styles.py": "SafeWorkbook itself: the safe value rule",
    "unionvol/xlsx/sheet.py": "SafeWorkbook itself: the write-only sheet",
    "unionvol/xlsx/workbook.py": "SafeWorkbook itself",
    "unionvol/admin_xlsx.py": "the admin's format: reads through the validator, writes "
    "through SafeWorkbook",
    "volunteers/sheets.py": "the roster's fast row paths, each value through safe_value",
}
SPREADSHEET_WRITING = re.compile(
    r"^\s*import csv|\bcsv\.(writer|DictWriter)|from openpyxl import .*\bWorkbook\b"
    r"|openpyxl\.Workbook\(|xlsxwriter|\bws\.append\(|\.export\(\s*[\"'](xlsx|csv|xls)"
    r"|text/csv|spreadsheetml",
    re.M,
)

FORMULAS = {
    "union": "=1+2工会",
    "volunteer": '=HYPERLINK("http://evil.example/","点击")',
    "workplace": "+86 139 0000 0000",
    "team": "=SUM(A1:A9)",
    "project": "-2+3",
    "place": "@SUM(A1)",
    "description": "=cmd|' /C calc'!A0",
    "progress": "=1+1",
}
# Every download of the app that is a spreadsheet; a new one must be added here (and is
# then checked like the others).
KNOWN_XLSX_URLS = {
    "export_download",
    "relief:warmth_stats_xlsx",
    "reports:submission_xlsx",
    "service:activity_export",
    "service:hours_export",
    "service:project_export",
    "service:service_export",
    "service:team_export",
    "volunteers:export_roster",
    "volunteers:quotas_xlsx",
    "volunteers:xlsx",
}


def test_no_module_writes_a_spreadsheet_or_csv_around_the_safe_workbook() -> None:
    writers = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            found = SPREADSHEET_WRITING.findall(path.read_text(encoding="utf-8"))
            if found:
                writers[str(path.relative_to(ROOT))] = found
    assert set(writers) <= set(WRITERS), {k: v for k, v in writers.items() if k not in WRITERS}


@pytest.fixture
def records(tree: Any, settings: Any, tmp_path: Any) -> dict[Any, Any]:
    """Records of grassroots_a whose every text looks like a formula."""
    from campaigns.models import Campaign, CampaignKind
    from relief.models import HardshipFile
    from reports.models import Submission
    from service.models import ServiceProject, ServiceTeam, TeamMember
    from tests.campaigns.factories import make_activity, make_project, make_team
    from tests.factories import OBJECT_FACTORIES, make_campaign
    from tests.reports.factories import make_reporting_campaign
    from volunteers.models import QuotaAllocation, Volunteer, VolunteerStatus

    settings.MEDIA_ROOT = str(tmp_path / "media")
    Union.objects.filter(pk=tree.grassroots_a.pk).update(name=FORMULAS["union"])
    tree.grassroots_a.refresh_from_db()
    campaign = make_campaign(
        tree.district_a, recruits_volunteers=True, kind=CampaignKind.HELPER_CORPS
    )
    volunteer = make_volunteer(
        tree.grassroots_a,
        name=FORMULAS["volunteer"],
        workplace=FORMULAS["workplace"],
        status=VolunteerStatus.APPROVED,
        campaign=campaign,
    )
    QuotaAllocation.objects.create(
        campaign=campaign, union=tree.grassroots_a, quota=3, note=FORMULAS["description"]
    )
    team = make_team(tree.grassroots_a, campaign=campaign, name=FORMULAS["team"])
    TeamMember.objects.create(team=team, volunteer=volunteer)
    project = make_project(team, name=FORMULAS["project"], progress=FORMULAS["progress"])
    make_activity(
        team,
        people=1,
        project=project,
        place=FORMULAS["place"],
        description=FORMULAS["description"],
    )
    reporting = make_reporting_campaign(tree.district_a, [tree.grassroots_a])
    submission = Submission.objects.create(
        milestone=reporting.milestones.get(),
        union=tree.grassroots_a,
        data={"blocks": [{"team": FORMULAS["team"], "progress": FORMULAS["progress"]}]},
    )
    objects = {model: factory(tree.grassroots_a) for model, factory in OBJECT_FACTORIES.items()}
    objects.update(
        {
            Campaign: campaign,
            Volunteer: volunteer,
            ServiceTeam: team,
            ServiceProject: project,
            Submission: submission,
        }
    )
    objects[HardshipFile] = OBJECT_FACTORIES[HardshipFile](tree.grassroots_a)
    return objects


def _sheets_xml(body: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")}


def _texts(body: bytes) -> set[str]:
    wb = load_workbook(io.BytesIO(body))
    return {
        v
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if isinstance(v, str)
    }


def _jobs(user: Any, tree: Any, records: dict[Any, Any]) -> list[str]:
    """The export jobs of the reports app, run for ``user``: their download URLs."""
    from campaigns.models import CampaignAddressee
    from reports.jobs import KIND_AGGREGATE, KIND_CAMPAIGN
    from reports.models import Submission
    from unionvol.jobs import job_create, run_job

    milestone = records[Submission].milestone
    campaign = milestone.campaign
    CampaignAddressee.objects.get_or_create(campaign=campaign, union=tree.grassroots_a)
    urls = []
    for kind, extra in (
        (KIND_CAMPAIGN, {}),
        (KIND_AGGREGATE, {"form": milestone.form, "milestone_id": milestone.pk}),
    ):
        params = {"campaign_id": campaign.pk, "union_id": tree.district_a.pk, **extra}
        job = job_create(user=user, kind=kind, params=params, union=tree.district_a)
        run_job(job)
        urls.append(f"/exports/{job.pk}/download/")
    return urls


def test_every_spreadsheet_download_is_formula_safe(
    tree: Any, records: dict[Any, Any], client: Any
) -> None:
    from campaigns.models import CampaignKind
    from tests.factories import make_campaign

    user = make_member(tree.district_a, Role.ADMIN)
    client.force_login(user)
    client.raise_request_exception = False
    warmth = make_campaign(tree.district_a, kind=CampaignKind.SPRING_WARMTH)
    query = {"relief:warmth_stats_xlsx": f"?campaign={warmth.pk}&union={tree.grassroots_a.pk}"}
    urls = [(name, url + query.get(name, "")) for name, url in crawl_urls(records)]
    urls += [("export_download", url) for url in _jobs(user, tree, records)]

    found: dict[str, set[str]] = {}
    for name, url in urls:
        response = client.get(url)
        body = drain(response)
        if response.status_code != 200 or response["Content-Type"] != XLSX_CONTENT_TYPE:
            assert not body.startswith(b"PK\x03\x04"), f"{name}: a spreadsheet not marked as one"
            continue
        for part, xml in _sheets_xml(body).items():
            assert b"<f>" not in xml, f"{name} {part}: a formula"
            assert b"<f " not in xml, f"{name} {part}: a formula"
        found.setdefault(name, set()).update(_texts(body))

    assert set(found) == KNOWN_XLSX_URLS, "a spreadsheet download was added or lost"
    written = set().union(*found.values())
    # The formula-looking texts arrived, as text (the union's name in every heading).
    for key in ("union", "volunteer", "workplace", "team", "project", "place", "description"):
        assert any(FORMULAS[key] in text for text in written), key
