import os


class Spinner:
    def __init__(self):
        self.notes = []

    def _load_scenario(self, scenario, long_context=False):
        self.notes = list(scenario.get("notes", []))

    def spin(self):
        while True:
            pass

    def crash(self):
        os._exit(3)

    def flood(self):
        return "x" * 50_000_000

    def note(self, text):
        self.notes.append(text)
        return {"notes": len(self.notes)}
