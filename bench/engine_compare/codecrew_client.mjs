// The codecrew side of make bench-engine: drives a running `codecrew serve`
// over its HTTP API. Creates one workflow per execution (crew "pipeline",
// before the measured window: a workflow is the goal a user submits), then,
// measured, starts N executions (POST /workflows/{id}/executions/start) at
// concurrency C and waits for each on its workflow's status stream
// (GET /events/workflows/{id}, Server-Sent Events) until execution.status
// says it ended. Reads the server process's CPU (utime and stime of
// /proc/PID/stat) before and after, and its peak RSS (VmHWM of
// /proc/PID/status) at the end. Steps are the model calls the fake upstream
// answered during the window (GET /_fake/stats). Every execution is checked
// afterwards: completed, with 7 calls (total_calls) — a run where any did
// not fails.
// Prints one JSON line like langgraph_pipeline.mjs's.
//
//   node codecrew_client.mjs --url URL --key KEY --upstream URL --pid PID
//        --executions N --concurrency C [--warmup W] [--label NAME]
import { readFileSync } from "node:fs";

const STEPS = 7;

function parseArgs(argv) {
  const out = { url: "", key: "", upstream: "", pid: 0, executions: 20, concurrency: 1, warmup: 2, label: "codecrew" };
  for (let i = 2; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "");
    if (!(key in out)) throw new Error(`unknown option ${argv[i]}`);
    out[key] = typeof out[key] === "number" ? Number(argv[i + 1]) : argv[i + 1];
  }
  for (const k of ["url", "key", "upstream", "pid"]) if (!out[k]) throw new Error(`--${k} is required`);
  return out;
}

const opt = parseArgs(process.argv);
const auth = { Authorization: `Bearer ${opt.key}` };
const ticksPerSecond = 100; // USER_HZ on Linux

async function api(method, path, body) {
  const res = await fetch(`${opt.url}${path}`, {
    method,
    headers: { ...auth, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

function cpuTicks(pid) {
  // Fields after the command name "(...)": state is field 3, utime 14, stime 15.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // cutime and cstime (16, 17): children it waited for (git runs in-process
  // through libgit2; a subprocess would show here).
  return { user: Number(rest[11]), sys: Number(rest[12]), child: Number(rest[13]) + Number(rest[14]) };
}

function statusKb(pid, field) {
  const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : 0;
}

async function fakeRequests() {
  const res = await fetch(`${opt.upstream}/_fake/stats`);
  return (await res.json()).requests;
}

// Waits on the workflow's status stream until execution eid has ended.
async function waitEnded(workflowId, executionId) {
  const abort = new AbortController();
  const res = await fetch(`${opt.url}/events/workflows/${workflowId}`, { headers: auth, signal: abort.signal });
  if (!res.ok) throw new Error(`stream of workflow ${workflowId}: ${res.status}`);
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event.split("\n").find((l) => l.startsWith("data: "));
        if (!data) continue;
        const e = JSON.parse(data.slice(6));
        if (e.type === "execution.status" && e.execution_id === executionId &&
            ["completed", "failed", "cancelled"].includes(e.data.status))
          return e.data.status;
      }
    }
  } finally {
    abort.abort();
  }
  throw new Error(`stream of workflow ${workflowId} ended before execution ${executionId} did`);
}

async function runOne(workflowId) {
  const started = await api("POST", `/workflows/${workflowId}/executions/start`, {});
  const eid = started.execution.id;
  await waitEnded(workflowId, eid);
  return eid;
}

async function runAll(workflows) {
  let next = 0;
  const done = [];
  const worker = async () => {
    while (next < workflows.length) {
      const w = workflows[next++];
      done.push([w, await runOne(w)]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opt.concurrency, workflows.length) }, worker));
  return done;
}

async function check(done) {
  const bad = [];
  for (const [w, eid] of done) {
    const e = await api("GET", `/workflows/${w}/executions/${eid}`);
    if (e.status !== "completed" || e.total_calls !== STEPS)
      bad.push(`${w}/${eid}: ${e.status}, ${e.total_calls} calls${e.error ? `, ${e.error}` : ""}`);
  }
  if (bad.length) throw new Error(`${bad.length} executions did not complete with ${STEPS} calls: ${bad.slice(0, 5).join("; ")}`);
}

async function main() {
  const workflows = [];
  for (let i = 0; i < opt.warmup + opt.executions; ++i) {
    const w = await api("POST", "/workflows", {
      name: `bench ${opt.label} ${i}`,
      description: `A tiny word counter, variant ${i}`,
      crew: "pipeline",
    });
    workflows.push(w.id);
  }
  if (opt.warmup > 0) await check(await runAll(workflows.slice(0, opt.warmup)));
  const calls0 = await fakeRequests();
  const cpu0 = cpuTicks(opt.pid);
  const t0 = process.hrtime.bigint();
  const done = await runAll(workflows.slice(opt.warmup));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu1 = cpuTicks(opt.pid);
  const steps = (await fakeRequests()) - calls0;
  await check(done);
  if (steps !== STEPS * opt.executions)
    throw new Error(`the fake upstream answered ${steps} calls, not ${STEPS * opt.executions}`);
  console.log(
    JSON.stringify({
      system: opt.label,
      executions: opt.executions,
      concurrency: opt.concurrency,
      steps,
      seconds,
      steps_per_s: steps / seconds,
      cpu_user_ms: ((cpu1.user - cpu0.user) * 1000) / ticksPerSecond,
      cpu_sys_ms: ((cpu1.sys - cpu0.sys) * 1000) / ticksPerSecond,
      cpu_children_ms: ((cpu1.child - cpu0.child) * 1000) / ticksPerSecond,
      peak_rss_kb: statusKb(opt.pid, "VmHWM"),
      rss_kb: statusKb(opt.pid, "VmRSS"),
    }),
  );
}

main().catch((e) => {
  console.error(e?.stack ?? String(e));
  process.exit(1);
});
