"""Issue 12 item 6: a certificate PDF is an export — an insider who may export gets it,
a viewer of the same union gets 403 (and no link to it), an outsider 404."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from service.services import certificate_issue
from tests.campaigns.factories import add_members, make_activity, make_team
from unionvol.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def cert(tree: Any, campaign: Any, clerk_g: Any) -> Any:
    team = make_team(tree.grassroots_a, campaign=campaign)
    add_members(team, volunteers=1)
    make_activity(team, people=1, date=date(2026, 3, 1))
    return certificate_issue(
        volunteer=team.members.first().volunteer,
        user=clerk_g,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )


def _pdf_url(cert: Any) -> str:
    return f"/service/certificates/{cert.pk}/pdf/"


def test_an_insider_who_may_export_gets_the_pdf(cert: Any, clerk_a: Any, client: Any) -> None:
    client.force_login(clerk_a)
    assert _pdf_url(cert) in client.get(cert.get_absolute_url()).content.decode()
    response = client.get(_pdf_url(cert))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, user=clerk_a).count() == 1


def test_a_viewer_reads_the_page_but_gets_no_pdf(cert: Any, viewer_a: Any, client: Any) -> None:
    client.force_login(viewer_a)
    page = client.get(cert.get_absolute_url())
    assert page.status_code == 200
    assert _pdf_url(cert) not in page.content.decode()
    response = client.get(_pdf_url(cert))
    assert response.status_code == 403
    assert not response.content.startswith(b"%PDF")
    assert not AuditEvent.objects.filter(user=viewer_a).exists()


def test_an_outsider_gets_404(cert: Any, admin_b: Any, client: Any) -> None:
    client.force_login(admin_b)
    assert client.get(_pdf_url(cert)).status_code == 404
