// The LangGraph.js side of make bench-engine: a linear StateGraph of seven
// nodes (plan, design, build, test, review, deploy, monitor), each of which
// makes one plain-text chat completion through ChatOpenAI against the fake
// upstream, checkpointed by SqliteSaver (a database file) or MemorySaver.
// Runs N executions (one thread each) at concurrency C in this process and
// prints one JSON line: executions, steps (model calls that completed, counted
// by the graph's own state), seconds, steps/s, the CPU this process spent
// during the runs (process.cpuUsage: user and system) and its peak RSS.
// Every execution is checked: its final state holds seven outputs, or the run
// fails.
//
//   node langgraph_pipeline.mjs --upstream http://127.0.0.1:PORT --saver sqlite|memory
//        --executions N --concurrency C [--db FILE] [--warmup W]
import { Annotation, END, MemorySaver, START, StateGraph } from "@langchain/langgraph";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { ChatOpenAI } from "@langchain/openai";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { readFileSync } from "node:fs";

function parseArgs(argv) {
  const out = { saver: "sqlite", executions: 20, concurrency: 1, db: "", warmup: 2, upstream: "" };
  for (let i = 2; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "");
    if (!(key in out)) throw new Error(`unknown option ${argv[i]}`);
    out[key] = typeof out[key] === "number" ? Number(argv[i + 1]) : argv[i + 1];
  }
  if (!out.upstream) throw new Error("--upstream is required");
  if (out.saver === "sqlite" && !out.db) throw new Error("--db FILE is required with --saver sqlite");
  return out;
}

// The seven steps: the node, the system prompt, the task, the earlier output
// it reads (as the codecrew crew's context: design reads plan, build reads design).
const STEPS = [
  ["plan", "You plan the work for", "Plan", null],
  ["design", "You design the solution for", "Design", "plan"],
  ["build", "You build the solution for", "Build", "design"],
  ["test", "You test the solution for", "Test", null],
  ["review", "You review the solution for", "Review", null],
  ["deploy", "You deploy the solution for", "Deploy", null],
  ["monitor", "You monitor the solution for", "Monitor", null],
];

const State = Annotation.Root({
  goal: Annotation(),
  outputs: Annotation({ reducer: (a, b) => ({ ...a, ...b }), default: () => ({}) }),
  calls: Annotation({ reducer: (a, b) => a + b, default: () => 0 }),
});

function buildGraph(llm, checkpointer) {
  const graph = new StateGraph(State);
  for (const [name, system, task, context] of STEPS) {
    graph.addNode(name, async (state) => {
      let user = `${task}: ${state.goal}`;
      if (context) user += `\n\n## Output of ${context}\n${state.outputs[context]}`;
      const answer = await llm.invoke([new SystemMessage(`${system}: ${state.goal}`), new HumanMessage(user)]);
      if (typeof answer.content !== "string" || answer.content.length === 0)
        throw new Error(`${name}: the model answered no text`);
      return { outputs: { [name]: answer.content }, calls: 1 };
    });
  }
  graph.addEdge(START, STEPS[0][0]);
  for (let i = 0; i + 1 < STEPS.length; ++i) graph.addEdge(STEPS[i][0], STEPS[i + 1][0]);
  graph.addEdge(STEPS[STEPS.length - 1][0], END);
  return graph.compile({ checkpointer });
}

// Loopback only: any fetch to another host fails here, before it leaves.
function guardLoopback() {
  const real = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname))
      return Promise.reject(new Error(`bench-engine is loopback only: refused ${url.origin}`));
    return real(input, init);
  };
}

function peakRssKb() {
  // VmHWM: the peak resident set, as codecrew's is read; maxRSS as a fallback.
  try {
    const m = /VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]);
  } catch {}
  return process.resourceUsage().maxRSS;
}

async function runAll(app, first, count, concurrency) {
  let next = 0;
  let steps = 0;
  const worker = async () => {
    while (next < count) {
      const i = first + next++;
      const config = { configurable: { thread_id: `bench-${i}` } };
      const final = await app.invoke({ goal: `A tiny word counter, variant ${i}` }, config);
      const done = Object.keys(final.outputs).length;
      if (done !== STEPS.length || final.calls !== STEPS.length)
        throw new Error(`thread bench-${i}: ${done} outputs and ${final.calls} calls, not ${STEPS.length}`);
      steps += final.calls;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return steps;
}

async function main() {
  const opt = parseArgs(process.argv);
  guardLoopback();
  const llm = new ChatOpenAI({
    model: "gpt-4o-mini",
    apiKey: "sk-bench-upstream-key",
    configuration: { baseURL: `${opt.upstream}/v1` },
    // Not streamed: a streamed invoke() makes LangChain count tokens with
    // tiktoken ranks it downloads (no usage is read from the stream), which
    // this loopback-only benchmark refuses (guardLoopback). codecrew streams
    // its calls; the fake upstream's answer is the same text either way.
    streaming: false,
    maxRetries: 0,
    maxTokens: 4096,
  });
  const checkpointer = opt.saver === "memory" ? new MemorySaver() : SqliteSaver.fromConnString(opt.db);
  const app = buildGraph(llm, checkpointer);
  // Warm-up (JIT, connection pool, the database's first pages), not measured.
  if (opt.warmup > 0) await runAll(app, 1_000_000, opt.warmup, Math.min(opt.warmup, opt.concurrency));
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const steps = await runAll(app, 0, opt.executions, opt.concurrency);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  // The checkpoints were written: the last thread's latest one is readable.
  const last = await checkpointer.getTuple({ configurable: { thread_id: `bench-${opt.executions - 1}` } });
  if (!last) throw new Error("no checkpoint stored for the last thread");
  console.log(
    JSON.stringify({
      system: `langgraph-${opt.saver}`,
      executions: opt.executions,
      concurrency: opt.concurrency,
      steps,
      seconds,
      steps_per_s: steps / seconds,
      cpu_user_ms: cpu.user / 1000,
      cpu_sys_ms: cpu.system / 1000,
      peak_rss_kb: peakRssKb(),
    }),
  );
}

main().catch((e) => {
  console.error(e?.stack ?? String(e));
  process.exit(1);
});
