"""Tolerant lookup of product names with typos."""


def edit_distance(a, b):
    """Levenshtein distance: insertions, deletions and substitutions."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def closest(name, candidates, limit=3):
    return sorted(candidates, key=lambda c: edit_distance(name.lower(), c.lower()))[:limit]
