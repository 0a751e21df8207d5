"""Summarises shape areas (fixture data)."""


class Report:
    def __init__(self, areas):
        self.areas = areas

    def total(self):
        return sum(self.areas)


def summarize(areas):
    # TODO: format nicely
    return Report(areas).total()
