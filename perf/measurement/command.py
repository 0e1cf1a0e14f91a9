"""The shared frame of the `measure_*` commands: take one measurement, print it as text or JSON."""

import json

from django.core.management.base import BaseCommand


class MeasurementCommand(BaseCommand):
    """Subclasses add their own arguments, take the measurement and word it; `--json` prints its
    `as_dict()` instead."""

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")

    def handle(self, *args, **options):
        measurement = self.measure(**options)
        if options["json"]:
            self.stdout.write(json.dumps(measurement.as_dict()))
        else:
            self.stdout.write(self.describe(measurement))

    def measure(self, **options):
        raise NotImplementedError

    def describe(self, measurement) -> str:
        raise NotImplementedError
