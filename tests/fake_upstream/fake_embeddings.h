// The fake upstream's embeddings: OpenAI's /embeddings, Ollama's /api/embed,
// Gemini's :batchEmbedContents and Bedrock's Titan (/model/{id}/invoke), answered with vectors that are a pure
// function of each input text (so tests can compute what to expect).
// Thread-safety: pure functions.
#pragma once

#include "fake_reply.h"

#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::testing {

constexpr std::size_t kFakeEmbeddingDimensions = 8;  // when the request names none

// The format of an embeddings path, if it is one.
std::optional<WireKind> embeddingKindOf(std::string_view path);
// The vector for one text: dims values in [-1, 1].
std::vector<float> fakeEmbedding(std::string_view text, std::size_t dims);
// The 200 body for an embeddings request (its parsed JSON body) in the format
// of `kind`; usage from reply.prompt_tokens.
std::string renderEmbeddings(WireKind kind, const boost::json::value& request, const FakeReply& reply,
                             const std::string& model);

}  // namespace codecrew::testing
