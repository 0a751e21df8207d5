#include "llm/providers/embedding_wire.h"

#include <boost/json.hpp>

namespace codecrew::llm {

core::Result<std::vector<float>> embeddingVector(const boost::json::value* v, std::string_view what) {
  const auto* array = v ? v->if_array() : nullptr;
  if (!array) return core::Error::unavailable(std::string(what) + " is not an array of numbers");
  std::vector<float> out;
  out.reserve(array->size());
  for (const auto& x : *array) {
    if (!x.is_number()) return core::Error::unavailable(std::string(what) + " has an element that is not a number");
    out.push_back(static_cast<float>(x.to_number<double>()));
  }
  return out;
}

std::string trimmedBase(const std::string& base_url) {
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

}  // namespace codecrew::llm
