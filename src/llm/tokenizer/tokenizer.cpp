#include "llm/tokenizer/tokenizer.h"

#include "core/crypto.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace codecrew::llm::tokenizer {
namespace {

struct EncodingSpec {
  std::string_view name;
  SplitPattern pattern;
  std::string_view sha256;  // as pinned in tiktoken_ext/openai_public.py
  std::vector<std::pair<std::string_view, uint32_t>> specials;
};

const std::vector<EncodingSpec>& encodingSpecs() {
  static const std::vector<EncodingSpec> specs = {
      {"cl100k_base",
       SplitPattern::kCl100kBase,
       "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
       {{"<|endoftext|>", 100257},
        {"<|fim_prefix|>", 100258},
        {"<|fim_middle|>", 100259},
        {"<|fim_suffix|>", 100260},
        {"<|endofprompt|>", 100276}}},
      {"o200k_base",
       SplitPattern::kO200kBase,
       "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
       {{"<|endoftext|>", 199999}, {"<|endofprompt|>", 200018}}},
  };
  return specs;
}

const EncodingSpec* findSpec(std::string_view name) {
  for (const auto& spec : encodingSpecs()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace

bool SpecialTokenPolicy::allows(std::string_view name) const {
  return all_ || std::find(names_.begin(), names_.end(), name) != names_.end();
}

const std::vector<std::string>& Tokenizer::encodingNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& spec : encodingSpecs()) v.emplace_back(spec.name);
    return v;
  }();
  return names;
}

Tokenizer::Tokenizer(std::string name, SplitPattern pattern, BpeRanks ranks,
                     std::map<std::string, uint32_t, std::less<>> specials)
    : name_(std::move(name)), pre_tokenizer_(pattern), ranks_(std::move(ranks)), specials_(std::move(specials)) {}

core::Result<std::shared_ptr<Tokenizer>> Tokenizer::load(std::string_view encoding_name, const std::string& path) {
  if (findSpec(encoding_name) == nullptr) {
    return core::Error::invalidArgument("unknown encoding '" + std::string(encoding_name) +
                                        "' (known: cl100k_base, o200k_base)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::Error::notFound("cannot read rank file " + path +
                                 " (build target tiktoken_ranks, or set CODECREW_TIKTOKEN_DIR)");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  auto tokenizer = fromRanks(encoding_name, buffer.str());
  if (!tokenizer) {
    core::Error error = std::move(tokenizer).error();
    error.message = path + ": " + error.message;
    return error;
  }
  return tokenizer;
}

core::Result<std::shared_ptr<Tokenizer>> Tokenizer::fromRanks(std::string_view encoding_name,
                                                              std::string_view tiktoken_text) {
  const EncodingSpec* spec = findSpec(encoding_name);
  if (spec == nullptr) {
    return core::Error::invalidArgument("unknown encoding '" + std::string(encoding_name) + "'");
  }
  const std::string digest = core::sha256Hex(tiktoken_text);
  if (digest != spec->sha256) {
    return core::Error{core::ErrorCode::kFailedPrecondition,
                       "rank file for " + std::string(spec->name) + " has sha256 " + digest + ", tiktoken publishes " +
                           std::string(spec->sha256),
                       nullptr};
  }
  auto ranks = BpeRanks::parse(tiktoken_text);
  if (!ranks) return std::move(ranks).error();
  std::map<std::string, uint32_t, std::less<>> specials;
  for (const auto& [text, id] : spec->specials) specials.emplace(text, id);
  return std::shared_ptr<Tokenizer>(
      new Tokenizer(std::string(spec->name), spec->pattern, std::move(*ranks), std::move(specials)));
}

void Tokenizer::encodeOrdinary(std::string_view text, std::vector<uint32_t>& out) const {
  std::vector<std::string_view> pieces;
  pre_tokenizer_.split(text, pieces);
  for (std::string_view piece : pieces) ranks_.encodePiece(piece, out);
}

std::vector<uint32_t> Tokenizer::encode(std::string_view text) const {
  std::vector<uint32_t> out;
  out.reserve(text.size() / 3 + 1);
  encodeOrdinary(text, out);
  return out;
}

std::vector<uint32_t> Tokenizer::encode(std::string_view text, const SpecialTokenPolicy& allowed) const {
  struct Candidate {
    std::string_view text;
    uint32_t id;
    size_t next_at;  // where it next occurs at or after the cursor (npos: never)
  };
  std::vector<Candidate> candidates;
  for (const auto& [special, id] : specials_) {
    if (allowed.allows(special)) candidates.push_back({special, id, text.find(special)});
  }
  std::vector<uint32_t> out;
  out.reserve(text.size() / 3 + 1);
  size_t start = 0;
  while (true) {
    const Candidate* best = nullptr;
    for (Candidate& c : candidates) {
      if (c.next_at != std::string_view::npos && c.next_at < start) c.next_at = text.find(c.text, start);
      if (c.next_at != std::string_view::npos && (best == nullptr || c.next_at < best->next_at)) best = &c;
    }
    if (best == nullptr) break;
    encodeOrdinary(text.substr(start, best->next_at - start), out);
    out.push_back(best->id);
    start = best->next_at + best->text.size();
  }
  encodeOrdinary(text.substr(start), out);
  return out;
}

std::string Tokenizer::decode(const std::vector<uint32_t>& ids) const {
  std::string out;
  for (uint32_t id : ids) {
    if (std::string_view bytes = ranks_.bytesOf(id); !bytes.empty()) {
      out.append(bytes);
      continue;
    }
    for (const auto& [text, special_id] : specials_) {
      if (special_id == id) out.append(text);
    }
  }
  return out;
}

size_t Tokenizer::count(std::string_view text) const {
  BpeRanks::MergeWork ignored;
  return count(text, ignored);
}

size_t Tokenizer::count(std::string_view text, BpeRanks::MergeWork& work) const {
  std::vector<std::string_view> pieces;
  pre_tokenizer_.split(text, pieces);
  size_t total = 0;
  for (std::string_view piece : pieces) total += ranks_.countPiece(piece, &work);
  return total;
}

std::optional<uint32_t> Tokenizer::specialTokenId(std::string_view name) const {
  const auto it = specials_.find(name);
  if (it == specials_.end()) return std::nullopt;
  return it->second;
}

}  // namespace codecrew::llm::tokenizer
