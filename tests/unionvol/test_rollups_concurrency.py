"""Two writers at once (PostgreSQL, READ COMMITTED): the rollups end as the records are.

The first writer holds its transaction open after refreshing its cell; the second
writes the same cell meanwhile. Without the locks of ``unionvol.rollups`` the second
would recompute from a snapshot without the first's rows and write that over the first's
figures. SQLite runs one writer at a time: nothing to test there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection, transaction

from campaigns import services as campaign_services
from tests.unionvol import test_rollups
from tests.unionvol.test_rollups import World, activity_logged, hours_corrected
from unionvol.scoping import system_scope

pytestmark = pytest.mark.django_db(transaction=True)

HOLD = 2.0  # seconds the first writer keeps its transaction open
world = test_rollups.world  # the fixture: a campaign with records in grassroots_a


def _at_once(first: Callable[[], None], second: Callable[[], None]) -> None:
    """``first`` writes and holds its transaction; ``second`` writes meanwhile."""
    started = threading.Event()
    errors: list[BaseException] = []

    def run_first() -> None:
        try:
            with system_scope(), transaction.atomic():
                first()
                started.set()
                time.sleep(HOLD)
        except BaseException as exc:
            errors.append(exc)
            started.set()
        finally:
            connection.close()

    def run_second() -> None:
        started.wait()
        try:
            with system_scope():
                second()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time")


def test_two_writers_of_one_cell(world: World, rollups_current: Callable[[], None]) -> None:
    _at_once(lambda: activity_logged(world), lambda: hours_corrected(world))
    rollups_current()


def test_a_campaign_edit_and_a_cell_write(
    world: World, rollups_current: Callable[[], None]
) -> None:
    def edit_period() -> None:
        c = world.campaign
        campaign_services.campaign_update(
            campaign=c, version=c.version, period_end=date(2026, 6, 30)
        )

    _at_once(edit_period, lambda: activity_logged(world))  # 07-03: outside the new period
    rollups_current()


def test_a_cell_write_and_a_campaign_edit(
    world: World, rollups_current: Callable[[], None]
) -> None:
    def edit_period() -> None:
        c = world.campaign
        campaign_services.campaign_update(
            campaign=c, version=c.version, period_end=date(2026, 6, 30)
        )

    _at_once(lambda: activity_logged(world), edit_period)
    rollups_current()
