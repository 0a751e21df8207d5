// SQL for the webhook deliveries received from the code host (idempotency
// on X-GitHub-Delivery). Each function runs inside a transaction the caller
// (SqlStore) has opened on conn.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sql/connection.h"
#include "store/store.h"

#include <optional>
#include <string>

namespace codecrew::store::sql {

// True when the row was inserted, false when delivery_id was already there.
Result<bool> recordWebhookDelivery(Connection& conn, Millis now, const WebhookDelivery& delivery);
Result<std::optional<WebhookDelivery>> findWebhookDelivery(Connection& conn, const std::string& delivery_id);

}  // namespace codecrew::store::sql
