#include "llm/pricing/price_table.h"

namespace codecrew::llm {

namespace {

struct Entry {
  const char* model;
  ModelPrice price;
};

// USD per million tokens: input, output, cached input.
constexpr Entry kBuiltIn[] = {
    // OpenAI
    {"gpt-4o", {2.50, 10.00, 1.25}},
    {"gpt-4o-mini", {0.15, 0.60, 0.075}},
    {"gpt-4.1", {2.00, 8.00, 0.50}},
    {"gpt-4.1-mini", {0.40, 1.60, 0.10}},
    {"gpt-4.1-nano", {0.10, 0.40, 0.025}},
    {"o1", {15.00, 60.00, 7.50}},
    {"o3", {2.00, 8.00, 0.50}},
    {"o3-mini", {1.10, 4.40, 0.55}},
    {"o4-mini", {1.10, 4.40, 0.275}},
    {"gpt-4-turbo", {10.00, 30.00, 0}},
    {"gpt-3.5-turbo", {0.50, 1.50, 0}},
    // Anthropic
    {"claude-opus-4", {15.00, 75.00, 1.50}},
    {"claude-sonnet-4-5", {3.00, 15.00, 0.30}},
    {"claude-haiku-4-5", {1.00, 5.00, 0.10}},
    {"claude-sonnet-4", {3.00, 15.00, 0.30}},
    {"claude-3-7-sonnet", {3.00, 15.00, 0.30}},
    {"claude-3-5-sonnet", {3.00, 15.00, 0.30}},
    {"claude-3-5-haiku", {0.80, 4.00, 0.08}},
    {"claude-3-haiku", {0.25, 1.25, 0.03}},
    // Google
    {"gemini-2.5-pro", {1.25, 10.00, 0.31}},
    {"gemini-2.5-flash", {0.30, 2.50, 0.075}},
    {"gemini-2.0-flash", {0.10, 0.40, 0.025}},
    {"gemini-1.5-pro", {1.25, 5.00, 0.3125}},
    {"gemini-1.5-flash", {0.075, 0.30, 0.01875}},
    // Amazon Bedrock (on-demand, US East list prices; Anthropic's models on
    // Bedrock price as Anthropic's own, see find())
    {"amazon.nova-pro", {0.80, 3.20, 0.20}},
    {"amazon.nova-lite", {0.06, 0.24, 0}},
    {"amazon.nova-micro", {0.035, 0.14, 0}},
    {"meta.llama3-1-70b-instruct", {0.72, 0.72, 0}},
    {"meta.llama3-1-8b-instruct", {0.22, 0.22, 0}},
    {"amazon.titan-embed-text-v2", {0.02, 0, 0}},
    // Groq
    {"llama-3.3-70b-versatile", {0.59, 0.79, 0}},
    {"llama-3.1-8b-instant", {0.05, 0.08, 0}},
    {"mixtral-8x7b-32768", {0.24, 0.24, 0}},
};

double perToken(double per_mtok) { return per_mtok / 1'000'000.0; }

}  // namespace

std::string bedrockFoundationModel(std::string_view model) {
  for (std::string_view prefix : {"us.", "eu.", "apac.", "us-gov.", "global.", "ca.", "jp.", "au."}) {
    if (model.starts_with(prefix) && model.find('.', prefix.size()) != std::string_view::npos)
      return std::string(model.substr(prefix.size()));
  }
  return std::string(model);
}

PriceTable PriceTable::builtIn() {
  PriceTable table;
  for (const auto& e : kBuiltIn) table.prices_[e.model] = e.price;
  return table;
}

void PriceTable::applyConfig(const boost::json::object& document) {
  for (const char* section : {"models", "pricing"}) {
    const auto* tables = document.if_contains(section);
    if (!tables || !tables->is_object()) continue;
    for (const auto& [name, value] : tables->as_object()) {
      const auto* t = value.if_object();
      if (!t) continue;
      std::string model = std::string(name);
      if (const auto* id = t->if_contains("model"); id && id->is_string()) model = std::string(id->as_string());
      auto price = find(model).value_or(ModelPrice{});
      bool any = false;
      auto read = [&](const char* key, double& out) {
        if (const auto* v = t->if_contains(key); v && v->is_number()) {
          out = v->to_number<double>();
          any = true;
        }
      };
      read("input_per_mtok", price.input_per_mtok);
      read("output_per_mtok", price.output_per_mtok);
      read("cached_input_per_mtok", price.cached_input_per_mtok);
      if (any) {
        prices_[model] = price;
        prices_[std::string(name)] = price;
      }
    }
  }
}

std::optional<ModelPrice> PriceTable::find(const std::string& model) const {
  if (auto it = prices_.find(model); it != prices_.end()) return it->second;
  std::string name = bedrockFoundationModel(model);
  if (name.starts_with("anthropic.claude")) name = name.substr(10);  // Bedrock's id of an Anthropic model
  if (name != model) {
    if (auto it = prices_.find(name); it != prices_.end()) return it->second;
  }
  if (auto slash = name.rfind('/'); slash != std::string::npos) {  // "openai/gpt-4o" (OpenRouter)
    name = name.substr(slash + 1);
    if (auto it = prices_.find(name); it != prices_.end()) return it->second;
  }
  const ModelPrice* best = nullptr;
  std::size_t best_len = 0;
  for (const auto& [key, price] : prices_) {
    if (name.size() > key.size() && name.starts_with(key) && (name[key.size()] == '-' || name[key.size()] == '@') &&
        key.size() > best_len) {
      best = &price;
      best_len = key.size();
    }
  }
  if (best) return *best;
  return std::nullopt;
}

double PriceTable::cost(const std::string& model, const Usage& usage) const {
  auto price = find(model);
  if (!price) return 0;
  std::int64_t cached = std::min(usage.cached_prompt_tokens, usage.prompt_tokens);
  double cached_rate = price->cached_input_per_mtok > 0 ? price->cached_input_per_mtok : price->input_per_mtok;
  return perToken(price->input_per_mtok) * static_cast<double>(usage.prompt_tokens - cached) +
         perToken(cached_rate) * static_cast<double>(cached) +
         perToken(price->output_per_mtok) * static_cast<double>(usage.completion_tokens);
}

double PriceTable::estimate(const std::string& model, std::int64_t prompt_tokens,
                            std::int64_t completion_tokens) const {
  Usage usage;
  usage.prompt_tokens = prompt_tokens;
  usage.completion_tokens = completion_tokens;
  return cost(model, usage);
}

}  // namespace codecrew::llm
