#!/usr/bin/env python3
"""Checks deploy/grafana/codecrew.json (ctest -R deploy.grafana_dashboard).

  python3 tests/deploy/check_dashboard.py deploy/grafana/codecrew.json

The dashboard must be one Grafana can import and that shows something:
- its shape: a uid and title, schemaVersion 36 or later, the data source
  variable DS_PROMETHEUS (type datasource, Prometheus) and the query
  variables job and instance, the rows HTTP, LLM, Executions, Tools and
  sandbox, Events and store, Process;
- every panel: a unique id, a gridPos inside the 24 columns, the data source
  ${DS_PROMETHEUS}, at least one target, each with an expression and a refId
  unique in the panel;
- every expression (and each variable's label_values selector): filtered by
  $job and $instance, naming only the metric families codecrew exports
  (METRICS below, the families of GET /metrics), and valid PromQL: Grafana's
  variables replaced by values ($__rate_interval by 5m, $instance by .*),
  each becomes a recording rule of a throwaway rules file that
  `promtool check rules` parses.

Exits 0 when all holds; otherwise prints each problem and exits 1. Without
promtool it fails and says to run `make deps` (scripts/install-deps.sh
installs Debian's prometheus package, which brings promtool).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# The metric families of GET /metrics, and what Prometheus adds (up).
# Histograms are listed by family; their _bucket, _sum and _count series are
# accepted.
COUNTERS_AND_GAUGES = {
    "codecrew_http_requests_total",
    "codecrew_llm_requests_total",
    "codecrew_llm_tokens_total",
    "codecrew_llm_cost_usd_total",
    "codecrew_llm_retries_total",
    "codecrew_llm_rate_limit_waits_total",
    "codecrew_llm_rate_limit_wait_seconds_total",
    "codecrew_llm_breaker_state",
    "codecrew_llm_breaker_trips_total",
    "codecrew_executions",
    "codecrew_executions_finished_total",
    "codecrew_queue_depth",
    "codecrew_queue_oldest_wait_seconds",
    "codecrew_agent_steps_total",
    "codecrew_loops_total",
    "codecrew_approvals_pending",
    "codecrew_approval_oldest_pending_seconds",
    "codecrew_budget_exhausted_total",
    "codecrew_tool_calls_total",
    "codecrew_sandbox_runs_total",
    "codecrew_event_subscribers",
    "codecrew_ready",
    "codecrew_data_dir_free_bytes",
    "codecrew_data_dir_size_bytes",
    "codecrew_build_info",
    "process_cpu_seconds_total",
    "process_resident_memory_bytes",
    "process_virtual_memory_bytes",
    "process_open_fds",
    "process_max_fds",
    "process_start_time_seconds",
}
HISTOGRAMS = {
    "codecrew_http_request_duration_seconds",
    "codecrew_llm_request_duration_seconds",
    "codecrew_llm_time_to_first_token_seconds",
    "codecrew_queue_wait_seconds",
    "codecrew_sandbox_run_duration_seconds",
    "codecrew_store_operation_duration_seconds",
}
METRICS = COUNTERS_AND_GAUGES | {
    h + suffix for h in HISTOGRAMS for suffix in ("_bucket", "_sum", "_count")
}

REQUIRED_ROWS = ["HTTP", "LLM", "Executions", "Tools and sandbox", "Events and store", "Process"]
DATASOURCE_UIDS = {"${DS_PROMETHEUS}", "$DS_PROMETHEUS"}

# Grafana's variables and the values an expression is checked with.
VARIABLE_VALUES = {
    "__rate_interval": "5m",
    "__interval": "1m",
    "__range": "6h",
    "job": ".*",
    "instance": ".*",
}
VARIABLE_RE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)")
METRIC_RE = re.compile(r"\b((?:codecrew|process)_[a-zA-Z0-9_]+)\b")
LABEL_VALUES_RE = re.compile(r"^\s*label_values\((.*),\s*(\w+)\s*\)\s*$")


def substitute(expr, problems, where):
    def repl(m):
        name = m.group(1) or m.group(2)
        if name not in VARIABLE_VALUES:
            problems.append(f"{where}: unknown variable ${name} in {expr!r}")
            return m.group(0)
        return VARIABLE_VALUES[name]

    return VARIABLE_RE.sub(repl, expr)


def check_names(expr, problems, where):
    for name in METRIC_RE.findall(expr):
        if name not in METRICS:
            problems.append(f"{where}: {name} is not a metric codecrew exports")


def check_filtered(expr, problems, where):
    for var in ("$job", "$instance"):
        if var not in expr:
            problems.append(f"{where}: the expression does not filter by {var}: {expr!r}")


def all_panels(dash):
    """Top-level panels and those inside collapsed rows, rows included."""
    for panel in dash.get("panels", []):
        yield panel
        for inner in panel.get("panels", []) or []:
            yield inner


def check_shape(dash, problems):
    for key in ("uid", "title"):
        if not isinstance(dash.get(key), str) or not dash.get(key):
            problems.append(f"the dashboard has no {key}")
    version = dash.get("schemaVersion")
    if not isinstance(version, int) or version < 36:
        problems.append(f"schemaVersion is {version!r}, not 36 or later")

    variables = {v.get("name"): v for v in dash.get("templating", {}).get("list", [])}
    ds = variables.get("DS_PROMETHEUS")
    if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        problems.append("no variable DS_PROMETHEUS of type datasource for Prometheus")
    for name in ("job", "instance"):
        var = variables.get(name)
        if not var or var.get("type") != "query":
            problems.append(f"no query variable {name}")
            continue
        if (var.get("datasource") or {}).get("uid") not in DATASOURCE_UIDS:
            problems.append(f"variable {name}: its datasource is not ${{DS_PROMETHEUS}}")

    rows = [p.get("title") for p in dash.get("panels", []) if p.get("type") == "row"]
    for title in REQUIRED_ROWS:
        if title not in rows:
            problems.append(f"no row {title!r} (rows: {rows})")


def check_panels(dash, problems):
    """Returns [(where, expr)] of every target, checked for shape."""
    exprs = []
    ids = {}
    for panel in all_panels(dash):
        pid = panel.get("id")
        title = panel.get("title", "?")
        where = f"panel {pid} {title!r}"
        if not isinstance(pid, int):
            problems.append(f"{where}: no integer id")
        elif pid in ids:
            problems.append(f"{where}: id {pid} is also panel {ids[pid]!r}")
        else:
            ids[pid] = title
        grid = panel.get("gridPos") or {}
        if not all(isinstance(grid.get(k), int) for k in ("h", "w", "x", "y")):
            problems.append(f"{where}: no gridPos h, w, x, y")
        elif grid["x"] < 0 or grid["x"] + grid["w"] > 24:
            problems.append(f"{where}: gridPos outside the 24 columns")
        if panel.get("type") == "row":
            continue
        if not panel.get("type"):
            problems.append(f"{where}: no type")
        if (panel.get("datasource") or {}).get("uid") not in DATASOURCE_UIDS:
            problems.append(f"{where}: its datasource is not ${{DS_PROMETHEUS}}")
        targets = panel.get("targets") or []
        if not targets:
            problems.append(f"{where}: no targets")
        refs = set()
        for target in targets:
            ref = target.get("refId")
            twhere = f"{where} target {ref}"
            if not ref or ref in refs:
                problems.append(f"{twhere}: refId missing or repeated")
            refs.add(ref)
            tds = target.get("datasource")
            if tds is not None and tds.get("uid") not in DATASOURCE_UIDS:
                problems.append(f"{twhere}: its datasource is not ${{DS_PROMETHEUS}}")
            expr = target.get("expr")
            if not isinstance(expr, str) or not expr.strip():
                problems.append(f"{twhere}: no expr")
                continue
            check_filtered(expr, problems, twhere)
            exprs.append((twhere, expr))
    return exprs


def variable_exprs(dash, problems):
    """The selector of each query variable's label_values(...)."""
    exprs = []
    for var in dash.get("templating", {}).get("list", []):
        if var.get("type") != "query":
            continue
        query = var.get("query")
        if isinstance(query, dict):
            query = query.get("query")
        where = f"variable {var.get('name')}"
        m = LABEL_VALUES_RE.match(query or "")
        if not m:
            problems.append(f"{where}: not a label_values(selector, label) query: {query!r}")
            continue
        exprs.append((where, m.group(1)))
    return exprs


def promtool_check(exprs, promtool, problems):
    """Each expression as a recording rule; promtool check rules parses them."""
    rules = []
    names = {}
    for i, (where, expr) in enumerate(exprs):
        check_names(expr, problems, where)
        record = f"dashboard:expr_{i}"
        names[record] = (where, expr)
        rules.append({"record": record, "expr": substitute(expr, problems, where)})
    # JSON is YAML: promtool reads it as a rules file.
    doc = {"groups": [{"name": "codecrew_dashboard", "rules": rules}]}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "dashboard_rules.yml")
        with open(path, "w") as f:
            json.dump(doc, f, indent=1)
        run = subprocess.run([promtool, "check", "rules", path], capture_output=True, text=True)
    if run.returncode != 0:
        out = (run.stdout + run.stderr).strip()
        problems.append(f"promtool check rules failed:\n{out}")
        for record, (where, expr) in names.items():
            if re.search(rf'"{re.escape(record)}"|\b{re.escape(record)}\b', out):
                problems.append(f"  {record} is {where}: {expr}")
    return len(rules)


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} deploy/grafana/codecrew.json", file=sys.stderr)
        return 2
    promtool = os.environ.get("PROMTOOL") or shutil.which("promtool")
    if not promtool:
        print("check_dashboard: promtool not found: run `make deps` (scripts/install-deps.sh "
              "installs Debian's prometheus package, which brings promtool)", file=sys.stderr)
        return 1
    try:
        with open(argv[1]) as f:
            dash = json.load(f)
    except (OSError, ValueError) as e:
        print(f"check_dashboard: {argv[1]}: {e}", file=sys.stderr)
        return 1

    problems = []
    check_shape(dash, problems)
    exprs = check_panels(dash, problems)
    panel_count = sum(1 for p in all_panels(dash) if p.get("type") != "row")
    exprs += variable_exprs(dash, problems)
    checked = promtool_check(exprs, promtool, problems)

    if problems:
        for p in problems:
            print(f"check_dashboard: {p}", file=sys.stderr)
        print(f"check_dashboard: {len(problems)} problem(s) in {argv[1]}", file=sys.stderr)
        return 1
    print(f"check_dashboard: {argv[1]}: {panel_count} panels, {checked} expressions valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
