#include "integrations/github/webhook_config.h"

namespace codecrew::integrations::github {

core::Result<WebhookConfig> loadWebhookConfig(const boost::json::object& document, const core::EnvMap& env) {
  WebhookConfig out;
  if (auto it = env.find("GITHUB_WEBHOOK_SECRET"); it != env.end() && !it->second.empty()) {
    out.secret = it->second;
    return out;
  }
  const auto* section = document.if_contains("github");
  if (!section || !section->is_object()) return out;
  if (const auto* v = section->as_object().if_contains("webhook_secret")) {
    if (!v->is_string()) return core::Error::invalidArgument("github.webhook_secret must be a string");
    out.secret = std::string(v->as_string());
  }
  return out;
}

}  // namespace codecrew::integrations::github
