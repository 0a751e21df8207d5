// OutputStore: what executions produce: code files, diffs and artifacts of a
// workflow, each optionally tied to the execution that made it. Append-only.
// The contracts of store.h hold (tenant scoping, one transaction a call).
#pragma once

#include "store/store_types.h"

#include <optional>
#include <string>
#include <vector>

namespace codecrew::store {

class OutputStore {
 public:
  virtual ~OutputStore() = default;

  virtual Result<CodeFile> addCodeFile(const CodeFile& f) = 0;
  virtual Result<std::vector<CodeFile>> listCodeFiles(Id tenant_id, Id workflow_id, std::optional<Id> execution_id) = 0;
  virtual Result<Diff> addDiff(const Diff& d) = 0;
  virtual Result<Page<Diff>> listDiffs(Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                                       const std::optional<std::string>& path, const PageRequest& page) = 0;
  virtual Result<Artifact> addArtifact(const Artifact& a) = 0;
  // One artifact of the tenant's workflow; kNotFound for another tenant's,
  // another workflow's or none.
  virtual Result<Artifact> getArtifact(Id tenant_id, Id workflow_id, Id id) = 0;
  virtual Result<Page<Artifact>> listArtifacts(Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                                               const std::optional<std::string>& kind, const PageRequest& page) = 0;
};

}  // namespace codecrew::store
