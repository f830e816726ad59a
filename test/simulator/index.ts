// OpenAI + Azure OpenAI provider simulator with fault injection, for tests and the benchmark baseline.
// Wire formats follow /work/shared/reference/providers.md §1 (OpenAI), §7 (Azure), §10 (SSE).
//
// ROUTES
//   OpenAI:       POST /v1/chat/completions, POST /v1/embeddings, GET /v1/models, GET /v1/models/{id}
//   Azure classic: POST /openai/deployments/{dep}/chat/completions?api-version=…  (and /embeddings)
//                 — the deployment is the response `model`; no api-version → 404 {"error":{"code":"404","message":"Resource not found"}}
//   Azure v1:     POST /openai/v1/chat/completions, POST /openai/v1/embeddings, GET /openai/v1/models (model = body.model)
//   Unknown path → 404 (OpenAI envelope "Invalid URL (…)"; Azure shape under /openai/). Bad JSON → 400.
//   Missing `model` → 400; missing/empty `messages` → 400 missing_required_parameter.
//   Azure routes add `prompt_filter_results` + per-choice `content_filter_results`; Azure streams begin with the
//   filter-only chunk ({"choices":[],"created":0,"id":"","model":"","object":"",prompt_filter_results}), mark
//   every choice chunk with `content_filter_results`, and send one annotation-only chunk (a choice WITHOUT
//   `delta`) before the finish chunk of text choices.
//   Every response: x-request-id `req_<n>`, openai-processing-ms, openai-version, x-ratelimit-* (Azure also
//   apim-request-id, x-ms-region). JSON: content-type application/json + content-length. Streams:
//   text/event-stream; charset=utf-8, chunked, one res.write per event.
//
// CHAT (deterministic; all directives are read from the LAST user message's text)
//   Reply: `[[reply:some text]]` → exactly "some text"; else "Hello! You said: <text without directives, ≤200 chars>".
//   Last message is a `tool` result → "Tool result received: <tool content, ≤200 chars>", finish "stop".
//   Tools: `tools` present, tool_choice != "none", last message role "user" → tool call (content null,
//     finish "tool_calls") to tool_choice.function.name or the first tool; arguments = `[[args:{"city":"Paris"}]]`
//     raw text (sent verbatim, may be invalid JSON) or built from the tool's JSON schema (string "example" / first
//     enum, number 1, boolean true, array [item], nested objects). `[[parallel]]` → two calls, index 0 and 1:
//     first two tools, or the first (or forced) tool twice. Ids `call_<n>`, `chatcmpl-<n>` (per simulator).
//   response_format json_object → `{"ok":true}`; json_schema → object built from the schema as above.
//   Tokens: text is split into pieces (≤6 letters/digits or one symbol, with leading whitespace); one piece =
//     one completion token = one stream delta. Tool calls count (argument pieces + 1) each. prompt_tokens =
//     ceil(chars of all message text / 4). max_completion_tokens/max_tokens < pieces → truncate, finish "length".
//   n > 1 → n identical choices (stream chunks interleaved). Streaming per §1.4: role chunk
//     {"role":"assistant","content":"","refusal":null}, content deltas, tool calls as an opening fragment
//     (index,id,type,name,arguments:"") then ≥2 argument pieces, `delta:{}` + finish_reason, `"usage":null` on
//     every chunk when stream_options.include_usage (then a `choices:[]` usage chunk), `data: [DONE]`.
// ANTHROPIC (./anthropic.ts; reference §3): POST /v1/messages. Auth `x-api-key: <key>` or Bearer; a missing
//   `anthropic-version` → 400. The body is checked like the API does: unknown top-level or block fields →
//   400 "…: Extra inputs are not permitted"; max_tokens required; empty text blocks; temperature > 1;
//   temperature/top_p/top_k with anthropic-version 2026-10-21; thinking with temperature ≠ 1, top_k, forced
//   tool_choice or budget_tokens < 1024 / ≥ max_tokens; tool_use without tool_result blocks at the start of
//   the next user message (the API's wording); a thinking block whose signature the simulator did not issue;
//   with thinking on, a final assistant tool_use turn that does not start with its thinking block.
//   Replies: directives from the text blocks of the last user message, as for chat. A tool_result in the last
//   user message → "Tool result received: <its text>". Tools (tool_choice not none) → "Let me check." (unless
//   tool use is forced) + tool_use blocks (`toolu_sim_<n>`, input from [[args:…]] or the schema; [[parallel]]
//   → two unless disable_parallel_tool_use), stop_reason tool_use. thinking enabled/adaptive → a thinking block
//   first, "Thinking about: <text>", signature `sig_…` (checked on replay). output_config.format json_schema →
//   JSON from the schema. stop_sequences cut the reply (stop_reason stop_sequence); max_tokens truncates.
//   Usage: input = ceil(chars/4); with any cache_control, the system+tools prefix is written to the cache on
//   first sight (cache_creation_input_tokens) and read afterwards (cache_read_input_tokens); input_tokens
//   excludes both. Streams per §3.4: message_start, content_block_start → ping (after the first) → deltas
//   (thinking_delta + signature_delta; input_json_delta starting with "") → content_block_stop, message_delta
//   with cumulative usage, message_stop. Faults use Anthropic bodies: rate_limit 429 rate_limit_error +
//   retry-after; overloaded 529 overloaded_error; server_error api_error; context_length 400 "prompt is too
//   long: …"; invalid_key 401 authentication_error; model_not_found 404 not_found_error; stream_error → after
//   N events `event: error` overloaded_error; cut_stream, chunk_delay, slow_first_byte, reset as for chat.
// EMBEDDINGS: unit vector from a hash of each input (string | string[] | int[] | int[][]), `dimensions` or 8
//   floats (float32-exact); encoding_format "base64" → little-endian float32 bytes. usage.prompt_tokens =
//   ceil(chars/4) per string (≥1) or the token-array length.
// MODELS: a few base ids plus every model/deployment seen in a request; unknown id → 404 model_not_found.
//
// FAULTS — `sim.enqueue(...)` (one per request, any route, applied before routing/auth) or a directive in the
// last user message (chat only, applied after validation). A queued fault wins over a directive.
//   [[fault:rate_limit retry_after=1 retry_after_ms=50]]   429, retry-after (+ retry-after-ms), x-ratelimit-*
//   [[fault:server_error status=503]]                      500 (default) | 502 | 503, type server_error
//   [[fault:overloaded]]                                   Anthropic 529 overloaded_error; OpenAI routes 503
//   [[fault:status code=418]]                              any status, OpenAI envelope
//   [[fault:slow_first_byte ms=300]]                       delay, then the normal response
//   [[fault:reset]]                                        socket destroyed, no response
//   [[fault:cut_stream after=2]]                           2 data events, then the connection drops (no [DONE])
//   [[fault:stream_error after=1 message="boom"]]          1 data event, then data: {"error":{…}} and end
//   [[fault:chunk_delay ms=20]]                            20 ms between stream events
//   [[fault:context_length]] [[fault:invalid_key]] [[fault:model_not_found]] [[fault:content_filter]] (Azure 400)
//   Any fault directive also takes `times=N`: it fires on the first N requests carrying that exact directive
//   text (so a retry succeeds); add any extra `id=…` parameter to tell directives apart. reset() clears counts.
//   Non-stream requests: cut_stream sends half the body then drops; stream_error → 500; chunk_delay ignored.
//   An unparseable fault directive → 400 "simulator: …".
//
// GEMINI / VERTEX AI (gemini.ts, reference §5) — the same planner and directives, Google's wire:
//   POST /v1beta/models/{m}:generateContent | :streamGenerateContent (alt=sse: CRLF-framed events; else a JSON
//   array) | :embedContent | :batchEmbedContents — key in x-goog-api-key or ?key= (bad → 400 API_KEY_INVALID).
//   POST /v1/projects/{p}/locations/{l}/publishers/google/models/{m}:… (also :predict embeddings) — Bearer token
//   issued by POST /token (set `googlePublicKey`: the RS256 jwt-bearer assertion is verified; google-token.ts).
//   thinkingConfig.includeThoughts → a `thought` part; function calls carry no id; gemini-3* models sign the
//   first call (thoughtSignature) and answer 400 when a replayed call lacks a signature they issued.
//   Faults as google.rpc.Status: rate_limit → 429 RESOURCE_EXHAUSTED + RetryInfo; server_error 503/overloaded →
//   UNAVAILABLE; context_length → 400 token count; invalid_key; model_not_found; content_filter → HTTP 200 with
//   promptFeedback.blockReason; stream_error → `data: {"error":…}`.
// BEDROCK (bedrock.ts, reference §6):
//   POST /model/{id}/converse | /converse-stream (application/vnd.amazon.eventstream via @smithy/core's codec,
//   `p` padding, text blocks without contentBlockStart, metadata after messageStop) | /invoke (Titan, Cohere
//   embeddings). Auth: Bearer <apiKey> (Bedrock API key) or SigV4 recomputed with @smithy/signature-v4 for
//   `awsKeys` (default SIM_AWS_KEY); a mismatch → 403 InvalidSignatureException. Converse validation: roles
//   alternate from user, no blank text, toolConfig when tool blocks appear. additionalModelRequestFields.thinking
//   → a signed reasoning block. Faults → x-amzn-ErrorType exceptions (ThrottlingException 429, ValidationException
//   "Input is too long", UnrecognizedClientException, ResourceNotFoundException, …); content_filter →
//   guardrail_intervened; stream_error → an exception message (throttlingException when the message says
//   "too many"/"throttl", else modelStreamErrorException).

export type { Fault, RecordedCall, Simulator, SimulatorOptions } from './types.ts';
export { startSimulator } from './server.ts';
export { parseDirectives, parseFaultSpec } from './directives.ts';
