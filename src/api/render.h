// Rendering of store objects as the JSON the API returns. Field names follow
// seed 001; timestamps are ISO-8601 UTC strings; absent optionals are null.
// Thread-safety: pure functions.
#pragma once

#include "engine/execution_progress.h"
#include "store/models.h"
#include "store/store.h"

#include <boost/json/object.hpp>

namespace codecrew::api {

boost::json::object toJson(const store::Workflow& w);
// An execution with its typed progress view ("progress", from its
// checkpoint); the checkpoint itself is never rendered.
boost::json::object toJson(const store::Execution& e);
boost::json::object toJson(const engine::ExecutionProgress& p);
boost::json::object toJson(const store::ExecutionJob& j);
boost::json::object toJson(const store::Conversation& c);
boost::json::object toJson(const store::Message& m);
boost::json::object toJson(const store::LlmCall& c);
boost::json::object toJson(const store::CodeFile& f);
boost::json::object toJson(const store::Diff& d);
boost::json::object toJson(const store::Artifact& a);
boost::json::object toJson(const store::PullRequest& pr);
boost::json::object toJson(const store::Check& c);
boost::json::object toJson(const store::Approval& a);

// {"page", "page_size", "total", <key>: [items...]}.
template <typename T>
boost::json::object pageJson(const char* key, const store::Page<T>& page, const store::PageRequest& req) {
  boost::json::array items;
  for (const auto& it : page.items) items.push_back(toJson(it));
  return {{"page", req.page}, {"page_size", req.page_size}, {"total", page.total}, {key, std::move(items)}};
}

}  // namespace codecrew::api
