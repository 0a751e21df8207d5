// WebhookStore: the webhook deliveries received from the code host, for
// idempotency (a redelivery of one X-GitHub-Delivery acts once).
// The contracts of store.h hold (one transaction a call, ids and times from
// the store), except tenant scoping: a delivery is the code host's, recorded
// before anything maps it to a tenant, so these methods name none.
#pragma once

#include "store/store_types.h"

#include <optional>
#include <string>

namespace codecrew::store {

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;

  // Records a delivery (delivery_id, event, action, repository, outcome;
  // received_at from the store's clock) unless one with its delivery_id is
  // already recorded: true when this call recorded it, false for a
  // redelivery (nothing is changed then). Atomic: of concurrent calls with
  // one delivery_id exactly one gets true. kInvalidArgument for an empty
  // delivery_id or one longer than 200 characters.
  virtual Result<bool> recordWebhookDelivery(const WebhookDelivery& delivery) = 0;
  // The recorded delivery with that id, if any.
  virtual Result<std::optional<WebhookDelivery>> findWebhookDelivery(const std::string& delivery_id) = 0;
};

}  // namespace codecrew::store
