// PriceTable: what a model costs, in US dollars per million tokens (input,
// output, cached input), with a built-in table of common current models of
// each provider and overrides from configuration. A model is looked up by its
// exact name, then by the longest known prefix (so dated snapshots such as
// "gpt-4o-2024-08-06" price as "gpt-4o"); unknown models cost 0 and say so.
// Amazon Bedrock ids are looked up without a cross-region inference profile
// prefix (us., eu., apac., us-gov., global.: AWS charges the source region's
// on-demand price for them), and Anthropic's models on Bedrock
// ("anthropic.claude-...") price as Anthropic's own (Bedrock's list prices
// are the same).
// Prices in the built-in table are list prices as published by the vendors
// and will drift; configure [models.<name>] prices to pin your own.
// Thread-safety: immutable after construction; safe from any thread.
#pragma once

#include "llm/types.h"

#include <boost/json/object.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace codecrew::llm {

struct ModelPrice {
  double input_per_mtok = 0;
  double output_per_mtok = 0;
  double cached_input_per_mtok = 0;  // 0: same as input
};

// A Bedrock model id without its cross-region inference profile prefix:
// "us.anthropic.claude-3-7-sonnet-20250219-v1:0" ->
// "anthropic.claude-3-7-sonnet-20250219-v1:0"; other names as they are.
std::string bedrockFoundationModel(std::string_view model);

class PriceTable {
 public:
  // The built-in table.
  static PriceTable builtIn();

  void set(const std::string& model, ModelPrice price) { prices_[model] = price; }
  // Applies [models.<name>] tables from the configuration document: keys
  // input_per_mtok, output_per_mtok, cached_input_per_mtok (any subset), and
  // also [pricing.<name>] tables with the same keys.
  void applyConfig(const boost::json::object& document);

  std::optional<ModelPrice> find(const std::string& model) const;
  // Dollars for one call's usage; cached prompt tokens at the cached rate.
  double cost(const std::string& model, const Usage& usage) const;
  // Dollars for a call that would use these many tokens (for max-cost checks).
  double estimate(const std::string& model, std::int64_t prompt_tokens, std::int64_t completion_tokens) const;

 private:
  std::map<std::string, ModelPrice> prices_;
};

}  // namespace codecrew::llm
