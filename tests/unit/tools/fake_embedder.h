// FakeEmbedder: the fake upstream's deterministic embeddings
// (tests/fake_upstream/fake_embeddings.h) behind tools::Embedder, without
// HTTP: a vector is a hash of the text, so equal texts get equal vectors and
// nothing else is meaningful. Counts calls and texts, and fails on demand.
#pragma once

#include "tools/semantic/embedder.h"

#include "fake_embeddings.h"

#include <atomic>
#include <mutex>

namespace codecrew::tools {

class FakeEmbedder : public Embedder {
 public:
  explicit FakeEmbedder(std::size_t dims = 16, std::string model = "fake/hash")
      : dims_(dims), model_(std::move(model)) {}
  std::string model() const override { return model_; }
  std::size_t maxBatch() const override { return batch_; }
  core::Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) override {
    std::lock_guard lock(mu_);
    if (failAfter_ >= 0 && calls_ >= failAfter_) return core::Error::unavailable("the fake provider is down");
    ++calls_;
    texts_ += texts.size();
    std::vector<std::vector<float>> out;
    for (const auto& t : texts) out.push_back(testing::fakeEmbedding(t, dims_));
    return out;
  }

  void setBatch(std::size_t batch) { batch_ = batch; }
  // Calls from now on fail after `calls` more successful ones (-1: never).
  void failAfter(int calls) {
    std::lock_guard lock(mu_);
    failAfter_ = calls < 0 ? -1 : calls_ + calls;
  }
  int calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  std::size_t texts() const {
    std::lock_guard lock(mu_);
    return texts_;
  }

 private:
  std::size_t dims_;
  std::string model_;
  std::size_t batch_ = 4;
  mutable std::mutex mu_;
  int calls_ = 0;
  int failAfter_ = -1;
  std::size_t texts_ = 0;
};

}  // namespace codecrew::tools
