"""The check-and-count helper the Python integration clients share."""
import sys


class Tally:
    def __init__(self, name):
        self.name = name
        self.checks = 0
        self.failures = 0

    def __call__(self, cond, what):
        self.checks += 1
        if not cond:
            self.failures += 1
            print(f"FAIL: {what}", flush=True)

    def finish(self):
        print(f"{self.name}: {self.checks} checks, {self.failures} failed", flush=True)
        sys.exit(1 if self.failures else 0)
