#!/usr/bin/env python3
"""Regenerates the diff golden fixtures in this folder.

Each case is a folder with before/ and after/ trees (a file present on one
side only is created or deleted; one file leaving and one arriving is a
rename) and expected.diff, which is what `git diff --cached -M --histogram
--no-indent-heuristic` prints for the change, with its "index" lines and
hunk-header function context removed (codecrew prints neither).
Run from this folder: python3 generate.py
"""
import os
import random
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def lines(n, fmt="line {}\n", start=1):
    return "".join(fmt.format(i) for i in range(start, start + n))


def code_file(seed, n):
    r = random.Random(seed)
    words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "theta"]
    out = []
    for i in range(n):
        kind = r.random()
        if kind < 0.1:
            out.append("\n")
        elif kind < 0.2:
            out.append("}\n")
        else:
            out.append("    %s_%d(%s);\n" % (r.choice(words), i, r.choice(words)))
    return "".join(out)


def edit_every(text, step, repl):
    ls = text.splitlines(keepends=True)
    for i in range(step // 2, len(ls), step):
        ls[i] = repl.format(i)
    return "".join(ls)


BASE = lines(20)
CODE = code_file(7, 200)

CASES = {
    "middle_edit": ({"file.txt": BASE}, {"file.txt": BASE.replace("line 10\n", "line ten\n")}),
    "start_edit": ({"file.txt": BASE}, {"file.txt": "first\n" + BASE[len("line 1\n"):]}),
    "end_edit": ({"file.txt": BASE}, {"file.txt": BASE.replace("line 20\n", "last line\nextra\n")}),
    "insert_top": ({"file.txt": BASE}, {"file.txt": "new 1\nnew 2\n" + BASE}),
    "no_newline_before": ({"file.txt": BASE.rstrip("\n")}, {"file.txt": BASE}),
    "no_newline_after": ({"file.txt": BASE}, {"file.txt": BASE.rstrip("\n")}),
    "no_newline_both": ({"file.txt": BASE.rstrip("\n")},
                        {"file.txt": BASE.replace("line 20\n", "line twenty\n").rstrip("\n")}),
    "single_line": ({"one.txt": "hello\n"}, {"one.txt": "world\n"}),
    "crlf": ({"win.txt": BASE.replace("\n", "\r\n")},
             {"win.txt": BASE.replace("\n", "\r\n").replace("line 5\r\n", "line five\r\n")}),
    "crlf_to_lf_line": ({"win.txt": BASE.replace("\n", "\r\n")},
                        {"win.txt": BASE.replace("\n", "\r\n").replace("line 7\r\n", "line 7\n")}),
    "empty_to_content": ({"e.txt": ""}, {"e.txt": "now\nsomething\n"}),
    "content_to_empty": ({"e.txt": "was\nsomething\n"}, {"e.txt": ""}),
    "create": ({}, {"src/new.c": "int main(void) {\n  return 0;\n}\n"}),
    "create_empty": ({}, {"empty.txt": ""}),
    "create_no_newline": ({}, {"n.txt": "no newline"}),
    "delete": ({"gone.txt": BASE}, {}),
    "binary": ({"blob.bin": "PNG\0\x01\x02data\n"}, {"blob.bin": "PNG\0\x01\x03data\n"}),
    "binary_create": ({}, {"blob.bin": "\0\0\0\x01"}),
    "rename_same": ({"old/name.txt": BASE}, {"new/name.txt": BASE}),
    "rename_changed": ({"old.txt": BASE}, {"new.txt": BASE.replace("line 3\n", "line three\n")}),
    "path_with_space": ({"dir with space/f.txt": BASE},
                        {"dir with space/f.txt": BASE.replace("line 2\n", "line two\n")}),
    "many_hunks": ({"code.c": CODE}, {"code.c": edit_every(CODE, 23, "    changed_{}();\n")}),
    "context_merge": ({"m.txt": lines(40)},
                      {"m.txt": lines(40).replace("line 10\n", "X\n").replace("line 17\n", "Y\n")
                       .replace("line 25\n", "Z\n")}),
    "moved_block": ({"mv.txt": lines(10, "a {}\n") + lines(10, "b {}\n") + lines(10, "c {}\n")},
                    {"mv.txt": lines(10, "a {}\n") + lines(10, "c {}\n") + lines(10, "b {}\n")}),
    "repeated_lines": ({"r.txt": "{\n}\n" * 6 + "x\n" + "{\n}\n" * 6},
                       {"r.txt": "{\n}\n" * 6 + "y\n{\n}\n" + "{\n}\n" * 6}),
}


def write_tree(root, files):
    for path, content in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(content.encode("latin-1"))


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True).stdout


def expected_diff(before, after):
    with tempfile.TemporaryDirectory() as repo:
        git(repo, "init", "-q")
        git(repo, "config", "core.autocrlf", "false")
        write_tree(repo, before)
        git(repo, "add", "-A")
        git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "before")
        for path in before:
            os.remove(os.path.join(repo, path))
        write_tree(repo, after)
        git(repo, "add", "-A")
        raw = git(repo, "diff", "--cached", "-M", "--histogram", "--no-indent-heuristic")
    out = []
    for line in raw.split(b"\n"):
        if line.startswith(b"index "):
            continue
        if line.startswith(b"@@ "):
            line = line[: line.index(b" @@", 3) + 3]
        out.append(line)
    return b"\n".join(out)


def main():
    for name, (before, after) in CASES.items():
        case = os.path.join(HERE, name)
        shutil.rmtree(case, ignore_errors=True)
        os.makedirs(os.path.join(case, "before"))
        os.makedirs(os.path.join(case, "after"))
        write_tree(os.path.join(case, "before"), before)
        write_tree(os.path.join(case, "after"), after)
        with open(os.path.join(case, "expected.diff"), "wb") as f:
            f.write(expected_diff(before, after))


if __name__ == "__main__":
    main()
