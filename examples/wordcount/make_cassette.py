#!/usr/bin/env python3
"""Writes examples/wordcount/wordcount.cassette.jsonl: a cassette WRITTEN BY HAND
(origin "handwritten"), not recorded from a model. It answers every call the
built-in sdlc crew makes for the goal in README.md, keyed by (agent, step, index),
with tool calls that really write a small Python command-line program and its
tests and really run them in the sandbox. Run it again after editing the turns."""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from handwritten_cassette import write_cassette  # noqa: E402

WORDCOUNT = '''"""wordcount: count lines, words and characters of text on stdin or in files."""
import argparse
import sys


def count(text):
    """Returns (lines, words, characters) of text."""
    return text.count("\\n"), len(text.split()), len(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Count lines, words and characters.")
    parser.add_argument("files", nargs="*", help="files to read (default: stdin)")
    args = parser.parse_args(argv)
    texts = [(name, open(name, encoding="utf-8").read()) for name in args.files] or [("-", sys.stdin.read())]
    for name, text in texts:
        lines, words, chars = count(text)
        print(f"{lines} {words} {chars} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''

TESTS = '''import io
import unittest
from contextlib import redirect_stdout

import wordcount


class CountTest(unittest.TestCase):
    def test_empty(self):
        self.assertEqual(wordcount.count(""), (0, 0, 0))

    def test_words_and_lines(self):
        self.assertEqual(wordcount.count("a b\\nc\\n"), (2, 3, 6))

    def test_main_prints_counts_of_a_file(self):
        with open("sample.txt", "w", encoding="utf-8") as f:
            f.write("one two\\nthree\\n")
        out = io.StringIO()
        with redirect_stdout(out):
            self.assertEqual(wordcount.main(["sample.txt"]), 0)
        self.assertEqual(out.getvalue(), "2 3 14 sample.txt\\n")


if __name__ == "__main__":
    unittest.main()
'''

PLAN = {"summary": "A wordcount CLI and its unit tests.",
        "tasks": [{"id": "cli", "title": "Write wordcount.py", "description": "count() and main() with argparse",
                   "files": ["wordcount.py", ".gitignore"], "depends_on": []},
                  {"id": "tests", "title": "Write test_wordcount.py", "description": "unittest cases for count and main",
                   "files": ["test_wordcount.py"], "depends_on": ["cli"]}]}

TEST = "python3 -m unittest -v 2>&1"
turns = {
    ("planner", "PLANNING#0/requirements"): [
        "# Requirements\n\n- `python3 wordcount.py [FILE...]` prints `lines words chars name` per input.\n"
        "- With no file it reads stdin.\n- Unit tests cover empty text, counting and the CLI.\n"],
    ("planner", "PLANNING#0/plan"): [json.dumps(PLAN)],
    ("architect", "DESIGN#0/design"): [
        "# Design\n\nOne module `wordcount.py`: `count(text) -> (lines, words, chars)` and `main(argv)`.\n"
        "Tests in `test_wordcount.py` with unittest; no dependencies beyond the standard library.\n"],
    ("developer", "BUILD#0/implement/cli"): [
        [("write_file", {"path": "wordcount.py", "content": WORDCOUNT}),
         ("write_file", {"path": ".gitignore", "content": "__pycache__/\nsample.txt\n"})],
        "wordcount.py implements count() and main()."],
    ("developer", "BUILD#0/implement/tests"): [
        [("write_file", {"path": "test_wordcount.py", "content": TESTS})],
        [("run_command", {"command": TEST})],
        "test_wordcount.py has three tests; they pass."],
    ("tester", "TEST#0/test"): [
        [("run_command", {"command": TEST})],
        json.dumps({"passed": True, "total": 3, "failed": 0, "summary": "3 tests ran, all passed", "failures": []})],
    ("reviewer", "REVIEW#0/review"): [
        [("git_diff", {})],
        json.dumps({"verdict": "approve", "summary": "Small, clear and tested.",
                    "comments": [{"path": "wordcount.py", "comment": "files are read whole; fine for a CLI"}]})],
    ("deployer", "DEPLOY#0/runbook"): [
        [("run_command", {"command": "python3 wordcount.py --help"})],
        "# Runbook\n\nInstall: copy `wordcount.py`; needs python3.\nRun: `python3 wordcount.py FILE`.\n"
        "Roll back: check out the previous commit.\n"],
    ("monitor", "MONITOR#0/monitor"): [
        [("run_command", {"command": "printf 'a b c\\n' | python3 wordcount.py"})],
        "# Monitoring\n\nThe CLI answered `1 3 6 -` for `a b c`. Watch the exit code in scripts.\n"],
}

write_cassette(pathlib.Path(__file__).with_name("wordcount.cassette.jsonl"), turns,
               "written by hand for examples/wordcount (see make_cassette.py); not a model's output", 600)
