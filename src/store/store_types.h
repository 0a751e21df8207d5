// The value types the store interfaces share: a page request, a page of
// results, and the outcome of an idempotent create. Every interface of the
// store (store.h lists them) speaks in these and in the structs of models.h.
// Thread-safety: plain values.
#pragma once

#include "core/result.h"
#include "store/models.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace codecrew::store {

// Told each top-level transaction's kind (write or read) and length in
// seconds (store metrics).
using TransactionObserver = std::function<void(bool write, double seconds)>;

using core::Result;
using core::Status;

template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;  // rows matching the filter, over all pages
};

struct PageRequest {
  int page = 1;        // 1-based
  int page_size = 20;  // 1..200
};

template <typename T>
struct Created {
  T value;
  bool created = false;  // false: an existing row was returned (idempotent create)
};

}  // namespace codecrew::store
