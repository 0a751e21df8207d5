// The GitHub webhook's settings: [github] webhook_secret in codecrew.toml,
// overridden by GITHUB_WEBHOOK_SECRET. Without a secret, POST
// /webhooks/github cannot verify anything and answers 503.
// Thread-safety: a plain value and a pure function.
#pragma once

#include "core/config.h"
#include "core/result.h"

#include <boost/json/object.hpp>

#include <string>

namespace codecrew::integrations::github {

struct WebhookConfig {
  std::string secret;  // empty: not configured

  bool configured() const { return !secret.empty(); }
};

// From the configuration document and the environment (the variable wins
// when set and not empty). kInvalidArgument when [github] webhook_secret is
// not a string.
core::Result<WebhookConfig> loadWebhookConfig(const boost::json::object& document, const core::EnvMap& env);

}  // namespace codecrew::integrations::github
