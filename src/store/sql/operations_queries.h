// SQL of store/operations_store.h.
#pragma once

#include "store/operations_store.h"
#include "store/sql/connection.h"

namespace codecrew::store::sql {

Result<OperationalSnapshot> operationalSnapshot(Connection& conn);

}  // namespace codecrew::store::sql
