// The JSON Schemas of the /v1 gateway's bodies (OpenAI and Anthropic
// dialects) at their top level: the main fields, open to the rest of each
// dialect (the gateway forwards what it does not read). Error answers use the
// dialect's own error shape (OpenAiError, AnthropicError).
#include "api/schemas.h"

namespace codecrew::api {

void addGatewaySchemas(SchemaMap& out) {
  // The /v1 error shapes: Anthropic's under /v1/messages, OpenAI's elsewhere
  // (http::Router::shapeErrorsUnder gives the router's own refusals the same).
  out["OpenAiError"] = parseSchema(R"json({"type": "object", "required": ["error"], "properties": {
      "error": {"type": "object", "required": ["message", "type"], "properties": {
        "message": {"type": "string"}, "type": {"type": "string"},
        "param": {"type": ["string", "null"]}, "code": {"type": ["string", "null"]}}}}})json");
  out["AnthropicError"] = parseSchema(R"json({"type": "object", "required": ["type", "error"], "properties": {
      "type": {"type": "string", "enum": ["error"]},
      "error": {"type": "object", "required": ["type", "message"], "properties": {
        "type": {"type": "string"}, "message": {"type": "string"}}}}})json");
  out["ChatCompletionRequest"] = parseSchema(R"json({
      "type": "object", "required": ["model", "messages"], "properties": {
        "model": {"type": "string", "description": "a configured model or alias, or crew/<name> to run a crew"},
        "messages": {"type": "array", "items": {"type": "object", "required": ["role"], "properties": {
          "role": {"type": "string", "enum": ["system", "developer", "user", "assistant", "tool"]},
          "content": {"description": "a string or an array of content parts"},
          "name": {"type": "string"}, "tool_call_id": {"type": "string"},
          "tool_calls": {"type": "array", "items": {"type": "object"}}}}},
        "stream": {"type": "boolean", "description": "answer as Server-Sent Events (chat.completion.chunk)"},
        "stream_options": {"type": "object", "properties": {"include_usage": {"type": "boolean"}}},
        "max_tokens": {"type": "integer", "minimum": 1}, "max_completion_tokens": {"type": "integer", "minimum": 1},
        "temperature": {"type": "number"}, "top_p": {"type": "number"},
        "stop": {"description": "a string or an array of strings"},
        "tools": {"type": "array", "items": {"type": "object"}}, "tool_choice": {},
        "response_format": {"type": "object", "description": "text, json_object or json_schema"},
        "user": {"type": "string"}}})json");
  out["ChatCompletion"] = parseSchema(R"json({
      "type": "object", "required": ["id", "object", "created", "model", "choices"], "properties": {
        "id": {"type": "string"}, "object": {"type": "string", "enum": ["chat.completion"]},
        "created": {"type": "integer"}, "model": {"type": "string"},
        "choices": {"type": "array", "items": {"type": "object", "properties": {
          "index": {"type": "integer"},
          "message": {"type": "object", "properties": {"role": {"type": "string"},
            "content": {"type": ["string", "null"]}, "tool_calls": {"type": "array", "items": {"type": "object"}}}},
          "finish_reason": {"type": ["string", "null"]}}}},
        "usage": {"type": "object", "properties": {"prompt_tokens": {"type": "integer"},
          "completion_tokens": {"type": "integer"}, "total_tokens": {"type": "integer"}}}},
      "description": "with stream: text/event-stream of chat.completion.chunk objects, then data: [DONE]"})json");
  out["EmbeddingsRequest"] = parseSchema(R"json({
      "type": "object", "required": ["model", "input"], "properties": {
        "model": {"type": "string"},
        "input": {"description": "a string, an array of strings, or token arrays"},
        "encoding_format": {"type": "string", "enum": ["float", "base64"]},
        "dimensions": {"type": "integer", "minimum": 1}, "user": {"type": "string"}}})json");
  out["Embeddings"] = parseSchema(R"json({
      "type": "object", "required": ["object", "data", "model"], "properties": {
        "object": {"type": "string", "enum": ["list"]},
        "data": {"type": "array", "items": {"type": "object", "properties": {
          "object": {"type": "string", "enum": ["embedding"]}, "index": {"type": "integer"},
          "embedding": {"description": "an array of numbers, or a base64 string"}}}},
        "model": {"type": "string"},
        "usage": {"type": "object", "properties": {"prompt_tokens": {"type": "integer"},
          "total_tokens": {"type": "integer"}}}}})json");
  out["MessagesRequest"] = parseSchema(R"json({
      "type": "object", "required": ["model", "messages", "max_tokens"], "properties": {
        "model": {"type": "string", "description": "a configured model or alias, or crew/<name> to run a crew"},
        "messages": {"type": "array", "items": {"type": "object", "required": ["role", "content"], "properties": {
          "role": {"type": "string", "enum": ["user", "assistant"]},
          "content": {"description": "a string or an array of content blocks"}}}},
        "system": {"description": "a string or an array of text blocks"},
        "max_tokens": {"type": "integer", "minimum": 1},
        "stream": {"type": "boolean", "description": "answer as Server-Sent Events: message_start to message_stop"},
        "temperature": {"type": "number"}, "top_p": {"type": "number"}, "top_k": {"type": "integer"},
        "stop_sequences": {"type": "array", "items": {"type": "string"}},
        "tools": {"type": "array", "items": {"type": "object"}}, "tool_choice": {"type": "object"},
        "metadata": {"type": "object"}}})json");
  out["AnthropicMessage"] = parseSchema(R"json({
      "type": "object", "required": ["id", "type", "role", "content", "model"], "properties": {
        "id": {"type": "string"}, "type": {"type": "string", "enum": ["message"]},
        "role": {"type": "string", "enum": ["assistant"]},
        "content": {"type": "array", "items": {"type": "object", "required": ["type"], "properties": {
          "type": {"type": "string", "description": "text or tool_use"}, "text": {"type": "string"},
          "id": {"type": "string"}, "name": {"type": "string"}, "input": {"type": "object"}}}},
        "model": {"type": "string"}, "stop_reason": {"type": ["string", "null"]},
        "stop_sequence": {"type": ["string", "null"]},
        "usage": {"type": "object", "properties": {"input_tokens": {"type": "integer"},
          "output_tokens": {"type": "integer"}}}},
      "description": "with stream: text/event-stream of message_start, content_block_*, message_delta, message_stop"})json");
  out["ResponsesRequest"] = parseSchema(R"json({"type": "object", "required": ["model"], "properties": {
      "model": {"type": "string", "description": "a configured or discovered model, an alias, or crew/<name> to run a crew"},
      "input": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "object",
        "description": "a message {role, content: string or input_text/input_image/output_text parts}, a function_call {call_id, name, arguments}, a function_call_output {call_id, output} or an item_reference {id}"}}]},
      "instructions": {"type": "string", "description": "a system message for this call only"},
      "previous_response_id": {"type": "string", "description": "continue the conversation kept under this id (same tenant)"},
      "tools": {"type": "array", "items": {"type": "object", "required": ["type", "name"], "properties": {
        "type": {"type": "string", "enum": ["function"]}, "name": {"type": "string"}, "description": {"type": "string"},
        "parameters": {"type": "object"}, "strict": {"type": "boolean"}}}},
      "tool_choice": {"oneOf": [{"type": "string", "enum": ["auto", "none", "required"]}, {"type": "object", "properties": {
        "type": {"type": "string", "enum": ["function"]}, "name": {"type": "string"}}}]},
      "text": {"type": "object", "properties": {"format": {"type": "object", "properties": {
        "type": {"type": "string", "enum": ["text", "json_object", "json_schema"]}, "name": {"type": "string"},
        "schema": {"type": "object"}, "strict": {"type": "boolean"}}}}},
      "max_output_tokens": {"type": "integer", "minimum": 1},
      "temperature": {"type": "number"},
      "stream": {"type": "boolean", "description": "answer as Server-Sent Events (response.* events)"},
      "store": {"type": "boolean", "default": true, "description": "keep the conversation for previous_response_id"},
      "metadata": {"type": "object"}}})json");
  out["ResponsesResponse"] = parseSchema(R"json({"type": "object",
      "required": ["id", "object", "status", "model", "output", "usage"], "properties": {
        "id": {"type": "string"}, "object": {"type": "string", "enum": ["response"]}, "created_at": {"type": "integer"},
        "status": {"type": "string", "enum": ["completed", "incomplete", "failed", "in_progress"]},
        "model": {"type": "string"}, "previous_response_id": {"type": ["string", "null"]},
        "incomplete_details": {"type": ["object", "null"]},
        "output": {"type": "array", "items": {"type": "object", "description": "a message {id, role, content: [{type: output_text, text}]} or a function_call {id, call_id, name, arguments}"}},
        "usage": {"type": "object", "properties": {"input_tokens": {"type": "integer"},
          "output_tokens": {"type": "integer"}, "total_tokens": {"type": "integer"}}}},
      "description": "with stream: text/event-stream of response.created, response.in_progress, response.output_item.added, response.content_part.added, response.output_text.delta, response.output_text.done, response.function_call_arguments.delta, response.function_call_arguments.done, response.content_part.done, response.output_item.done, then response.completed (response.incomplete, response.failed), each {type, sequence_number, ...}"})json");
  out["CountTokensRequest"] = parseSchema(R"json({"type": "object", "required": ["model", "messages"], "properties": {
      "model": {"type": "string"}, "system": {"description": "a string or an array of text blocks"},
      "messages": {"type": "array", "items": {"type": "object"}},
      "tools": {"type": "array", "items": {"type": "object"}}}})json");
  out["TokenCount"] = parseSchema(R"json({"type": "object", "required": ["input_tokens"], "properties": {
      "input_tokens": {"type": "integer"}}})json");
  out["ModelList"] = parseSchema(R"json({
      "type": "object", "required": ["object", "data", "has_more"], "properties": {
        "object": {"type": "string", "enum": ["list"]},
        "data": {"type": "array", "items": {"type": "object", "required": ["id", "object", "type", "owned_by"],
          "properties": {"id": {"type": "string"}, "object": {"type": "string", "enum": ["model"]},
            "type": {"type": "string", "enum": ["model"]}, "created": {"type": "integer"},
            "created_at": {"type": "string"}, "owned_by": {"type": "string"},
            "display_name": {"type": "string"}}}},
        "has_more": {"type": "boolean"}, "first_id": {"type": ["string", "null"]},
        "last_id": {"type": ["string", "null"]}},
      "description": "the OpenAI list shape with the Anthropic fields: type, display_name, created_at, first_id, last_id"})json");
  out["GatewayUsage"] = withProperties(pageSchema("calls", schemaRef("LlmCall")), R"json({
      "object": {"type": "string", "enum": ["list"]},
      "api_key_id": {"type": ["integer", "null"], "description": "the caller's key; null in dev mode"},
      "total_calls": {"type": "integer", "description": "matching the filters, every page"},
      "total_tokens_used": {"type": "integer"}, "total_cost": {"type": "number"}})json");
}

}  // namespace codecrew::api
