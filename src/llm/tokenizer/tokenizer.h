// Tokenizer: OpenAI's byte-level BPE for one encoding (cl100k_base or
// o200k_base), giving exactly the token ids tiktoken gives. Special tokens
// such as <|endoftext|> are recognised only where the caller allows them;
// otherwise their text is encoded as ordinary text.
// Thread-safety: immutable after load(); every const method is safe from any
// number of threads at once. Share it through the shared_ptr load() returns.
#pragma once

#include "core/result.h"
#include "llm/tokenizer/bpe_ranks.h"
#include "llm/tokenizer/pre_tokenizer.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::llm::tokenizer {

// Which special tokens encode() may emit.
class SpecialTokenPolicy {
 public:
  static SpecialTokenPolicy none() { return SpecialTokenPolicy(false, {}); }
  static SpecialTokenPolicy all() { return SpecialTokenPolicy(true, {}); }
  static SpecialTokenPolicy only(std::vector<std::string> names) { return SpecialTokenPolicy(false, std::move(names)); }
  bool allows(std::string_view name) const;

 private:
  SpecialTokenPolicy(bool all, std::vector<std::string> names) : all_(all), names_(std::move(names)) {}
  bool all_;
  std::vector<std::string> names_;
};

class Tokenizer {
 public:
  // The encodings this class knows: "cl100k_base" and "o200k_base".
  static const std::vector<std::string>& encodingNames();

  // Loads the .tiktoken rank file at `path` for encoding `encoding_name`.
  // Fails with kInvalidArgument for an unknown encoding, kNotFound for a
  // missing file, and kFailedPrecondition when the file's SHA-256 is not the
  // one tiktoken publishes for that encoding.
  static core::Result<std::shared_ptr<Tokenizer>> load(std::string_view encoding_name, const std::string& path);

  // The same from the file's contents already in memory.
  static core::Result<std::shared_ptr<Tokenizer>> fromRanks(std::string_view encoding_name,
                                                            std::string_view tiktoken_text);

  const std::string& name() const { return name_; }

  // The token ids of `text`, special-token text included as ordinary text
  // (tiktoken's encode_ordinary). Precondition: text.size() < 4 GiB.
  std::vector<uint32_t> encode(std::string_view text) const;
  // The token ids of `text`, where the special tokens `allowed` permits are
  // emitted as their own ids (tiktoken's encode(text, allowed_special=...)).
  std::vector<uint32_t> encode(std::string_view text, const SpecialTokenPolicy& allowed) const;

  // The bytes the ids stand for, concatenated; ids not in the vocabulary are
  // skipped. The result may end inside a UTF-8 sequence if the ids do.
  std::string decode(const std::vector<uint32_t>& ids) const;

  // encode(text).size(), without building the vector of ids.
  size_t count(std::string_view text) const;
  // The same, adding the BPE merge work it took to `work` (for tests that
  // bound the growth of that work; see BpeRanks::MergeWork).
  size_t count(std::string_view text, BpeRanks::MergeWork& work) const;

  // The id of a special token of this encoding, if it has one by that name.
  std::optional<uint32_t> specialTokenId(std::string_view name) const;

 private:
  Tokenizer(std::string name, SplitPattern pattern, BpeRanks ranks,
            std::map<std::string, uint32_t, std::less<>> specials);

  void encodeOrdinary(std::string_view text, std::vector<uint32_t>& out) const;

  std::string name_;
  PreTokenizer pre_tokenizer_;
  BpeRanks ranks_;
  std::map<std::string, uint32_t, std::less<>> specials_;
};

}  // namespace codecrew::llm::tokenizer
