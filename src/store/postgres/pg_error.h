// pgError: a PostgreSQL failure as a core::Error, with the SQLSTATE in
// details.sqlstate. Unique violations become kAlreadyExists, foreign-key
// violations kNotFound, check/not-null violations and bad data
// kInvalidArgument; serialization failures, deadlocks, a lost connection
// and a server shutting down or starting kUnavailable (the request may be
// tried again); anything else kInternal.
// Thread-safety: pure.
#pragma once

#include "core/error.h"

#include <string_view>

namespace codecrew::store::postgres {

core::Error pgError(std::string_view sqlstate, std::string_view message);
// Whether an error from pgError may go away when its transaction runs again
// (a serialization failure or a deadlock).
bool isSerializationFailure(const core::Error& error);
// Whether the error says the connection itself is gone.
bool isConnectionFailure(const core::Error& error);

}  // namespace codecrew::store::postgres
