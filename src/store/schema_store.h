// SchemaStore: the health of the store and the version of its schema, for
// start-up (`codecrew migrate`, opening the store) and the health route.
// The contracts of store.h hold (thread-safety, blocking calls).
#pragma once

#include "store/store_types.h"

namespace codecrew::store {

class SchemaStore {
 public:
  virtual ~SchemaStore() = default;

  virtual Status ping() = 0;
  // A tiny write transaction that changes nothing visible (it rewrites a row
  // with its own values and commits): fails when the database cannot be
  // written (read-only, disk full, locked past the busy timeout).
  virtual Status probeWrite() = 0;
  // Applies pending migrations; returns the schema version reached.
  virtual Result<int> migrate() = 0;
  virtual Result<int> schemaVersion() = 0;
};

}  // namespace codecrew::store
