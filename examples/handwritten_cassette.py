"""Shared by the examples' make_cassette scripts: writes a cassette WRITTEN BY
HAND (origin "handwritten") from turns {(agent, step): [answer, ...]}, where an
answer is the final text (a str) or a list of (tool, arguments) calls."""
import json
import pathlib


def write_cassette(out: pathlib.Path, turns, note: str, prompt_tokens: int) -> None:
    lines = [json.dumps({"type": "header", "version": 1, "origin": "handwritten", "created_at": "2026-01-01T00:00:00Z",
                         "note": note})]
    for (agent, step), answers in turns.items():
        for index, answer in enumerate(answers):
            message = {"role": "assistant", "content": ""}
            if isinstance(answer, str):
                message["content"] = answer
                finish = "stop"
            else:
                message["tool_calls"] = [{"id": f"{step}#{index}.{n}", "name": name, "arguments": json.dumps(args)}
                                         for n, (name, args) in enumerate(answer)]
                finish = "tool_calls"
            completion = max(1, len(json.dumps(message)) // 4)
            response = {"id": f"hw-{len(lines)}", "model": "handwritten", "message": message,
                        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion,
                                  "total_tokens": prompt_tokens + completion},
                        "finish_reason": finish}
            lines.append(json.dumps({"type": "call", "agent": agent, "step": step, "index": index,
                                     "provider": "handwritten", "model": "handwritten", "mode": "chat",
                                     "response": response, "latency_ms": 0}))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(lines) - 1} calls)")
