// ProjectStore: a tenant's projects, which workflows may belong to.
// The contracts of store.h hold (tenant scoping, one transaction a call).
#pragma once

#include "store/store_types.h"

namespace codecrew::store {

class ProjectStore {
 public:
  virtual ~ProjectStore() = default;

  virtual Result<Project> createProject(const Project& p) = 0;
  virtual Result<Project> getProject(Id tenant_id, Id id) = 0;
  virtual Result<Page<Project>> listProjects(Id tenant_id, const PageRequest& page) = 0;
};

}  // namespace codecrew::store
