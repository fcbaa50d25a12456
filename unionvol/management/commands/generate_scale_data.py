"""Generate scale data (a big union tree, volunteers, campaigns, activities, submissions)."""

from __future__ import annotations

import random
import time
from typing import Any

from django.core.management.base import CommandError, CommandParser

from unions.models import Union
from unionvol import scale
from unionvol.commands import SystemCommand
from unionvol.rollups import rebuild_rollups


class Command(SystemCommand):
    help = "Build scale data with bulk inserts for benchmarks and load tests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unions", type=int, default=1000)
        parser.add_argument("--volunteers", type=int, default=100_000)
        parser.add_argument("--participations", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> str:
        if Union.objects.filter(code=scale.SCALE_PREFIX).exists():
            raise CommandError("Scale data already exists (union code 'S'); use a fresh database.")
        # Each app contributes its steps by importing its scale module.
        for app in ("unions", "volunteers", "campaigns", "service", "relief", "reports"):
            try:
                __import__(f"{app}.scale")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.scale":
                    raise
        started = time.perf_counter()
        ctx = scale.ScaleContext(
            rng=random.Random(options["seed"]),  # noqa: S311 - reproducible test data
            unions=options["unions"],
            volunteers=options["volunteers"],
            participations=options["participations"],
            stdout=self.stdout,
        )
        scale.run(ctx)
        scale.analyze()  # the rebuild reads the big tables: plan it on their real sizes
        rebuild_rollups()  # the steps' bulk inserts send no signals: figures from the records
        scale.analyze()
        return f"scale data generated in {time.perf_counter() - started:.1f}s"
