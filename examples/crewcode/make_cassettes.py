#!/usr/bin/env python3
"""Writes codegen.cassette.jsonl and update.cassette.jsonl: cassettes WRITTEN BY
HAND (origin "handwritten"), not recorded from a model. They answer every call
of the built-in codegen crew (POST /generate, model crew/codegen) and update
crew (POST /sessions/{id}/update, model crew/update), keyed by (agent, step,
index), so CrewCode runs offline:

  codecrew serve --replay examples/crewcode/codegen.cassette.jsonl
  codecrew serve --replay examples/crewcode/update.cassette.jsonl

Replay matches calls by agent, step and call index, not by prompt: any request
gets the same files. See README.md for the requests they were written for.
Run it again after editing the turns."""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from handwritten_cassette import write_cassette  # noqa: E402

SLUGIFY = '''"""slugify: turn a title into a URL slug."""
import re


def slugify(text):
    """Lower-cases text and joins its words with single hyphens."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)
'''

SLUGIFY_TESTS = '''import unittest

from slugify import slugify


class SlugifyTest(unittest.TestCase):
    def test_words_are_joined_with_hyphens(self):
        self.assertEqual(slugify("Hello, World!"), "hello-world")

    def test_empty_text_gives_an_empty_slug(self):
        self.assertEqual(slugify("  "), "")


if __name__ == "__main__":
    unittest.main()
'''

GREET_AFTER = '''def greet(name):
    return f"Hello, {name}!"


def farewell(name):
    return f"Goodbye, {name}!"
'''

GREET_TESTS = '''import unittest

from greet import farewell, greet


class GreetTest(unittest.TestCase):
    def test_greet(self):
        self.assertEqual(greet("Ada"), "Hello, Ada!")

    def test_farewell(self):
        self.assertEqual(farewell("Ada"), "Goodbye, Ada!")


if __name__ == "__main__":
    unittest.main()
'''

CODEGEN_PLAN = {"summary": "A slugify module and its unit tests.",
                "tasks": [{"id": "module", "title": "Write slugify.py", "description": "slugify(text) with re",
                           "files": ["slugify.py"], "depends_on": []},
                          {"id": "tests", "title": "Write test_slugify.py", "description": "unittest cases",
                           "files": ["test_slugify.py"], "depends_on": ["module"]}]}

UPDATE_PLAN = {"summary": "Add farewell() beside greet(), test both, drop the done TODO.",
               "tasks": [{"id": "farewell", "title": "Add farewell(name) to greet.py",
                          "description": "same shape as greet; tests for both; remove TODO.txt",
                          "files": ["greet.py", "test_greet.py", "TODO.txt"], "depends_on": []}]}

CASSETTES = {
    "codegen": {
        ("planner", "PLANNING#0/plan"): [json.dumps(CODEGEN_PLAN)],
        ("writer", "BUILD#0/write/module"): [
            [("write_file", {"path": "slugify.py", "content": SLUGIFY})],
            "slugify.py defines slugify(text)."],
        ("writer", "BUILD#0/write/tests"): [
            [("write_file", {"path": "test_slugify.py", "content": SLUGIFY_TESTS})],
            "test_slugify.py has two unittest cases."],
    },
    "update": {
        ("planner", "PLANNING#0/plan"): [
            [("list_files", {})],
            json.dumps(UPDATE_PLAN)],
        ("updater", "BUILD#0/update/farewell"): [
            [("read_file", {"path": "greet.py"})],
            [("write_file", {"path": "greet.py", "content": GREET_AFTER}),
             ("write_file", {"path": "test_greet.py", "content": GREET_TESTS}),
             ("delete_file", {"path": "TODO.txt"})],
            "greet.py has farewell(name); test_greet.py tests both; TODO.txt is done and removed."],
        ("tester", "TEST#0/test"): [
            json.dumps({"passed": True, "total": 2, "failed": 0,
                        "summary": "test_greet.py covers greet and farewell (not run: no sandbox needed for the example)",
                        "failures": []})],
        ("reviewer", "REVIEW#0/review"): [
            [("git_diff", {})],
            json.dumps({"verdict": "approve", "summary": "A small change with tests.",
                        "comments": [{"path": "greet.py", "comment": "farewell mirrors greet"}]})],
    },
}


for crew_name, crew_turns in CASSETTES.items():
    write_cassette(pathlib.Path(__file__).with_name(f"{crew_name}.cassette.jsonl"), crew_turns,
                   f"written by hand for the {crew_name} crew (examples/crewcode/make_cassettes.py); "
                   "not a model's output", 500)
