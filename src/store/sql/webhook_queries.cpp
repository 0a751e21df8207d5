#include "store/sql/webhook_queries.h"

#include "store/sql/query_support.h"

namespace codecrew::store::sql {
namespace {

constexpr std::size_t kMaxDeliveryIdLength = 200;

constexpr std::string_view kWebhookDeliveryColumns = "id, delivery_id, event, action, repository, outcome, received_at";

WebhookDelivery readWebhookDelivery(const Statement& s) {
  WebhookDelivery d;
  d.id = s.i64(0);
  d.delivery_id = s.text(1);
  d.event = s.text(2);
  d.action = s.text(3);
  d.repository = s.text(4);
  d.outcome = s.text(5);
  d.received_at = s.i64(6);
  return d;
}

}  // namespace

Result<bool> recordWebhookDelivery(Connection& conn, Millis now, const WebhookDelivery& d) {
  if (d.delivery_id.empty() || d.delivery_id.size() > kMaxDeliveryIdLength)
    return core::Error::invalidArgument("a webhook delivery id must have 1 to " + std::to_string(kMaxDeliveryIdLength) +
                                        " characters");
  auto inserted = execute(conn,
                          "INSERT INTO webhook_deliveries (delivery_id, event, action, repository, outcome, "
                          "received_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING",
                          {d.delivery_id, d.event, d.action, d.repository, d.outcome, now});
  if (!inserted.ok()) return std::move(inserted).error();
  return *inserted == 1;
}

Result<std::optional<WebhookDelivery>> findWebhookDelivery(Connection& conn, const std::string& delivery_id) {
  return fetchOne<WebhookDelivery>(conn,
                                   selectSql(kWebhookDeliveryColumns, "FROM webhook_deliveries WHERE delivery_id = ?"),
                                   {delivery_id}, readWebhookDelivery);
}

}  // namespace codecrew::store::sql
