// HTTP's dates (RFC 9110 §5.6.7, IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT")
// and the Retry-After header, which is either a delay in seconds or such a
// date: what the providers' clients, the REST integrations and the artifact
// stores all read or write.
// Thread-safety: pure functions.
#pragma once

#include "core/clock.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace codecrew::core {

std::string formatHttpDate(Millis t);
std::optional<Millis> parseHttpDate(std::string_view text);

// Retry-After as delay-seconds (fractions accepted) or an HTTP-date, relative
// to now. A date in the past gives zero; anything unparseable gives nullopt.
std::optional<std::chrono::milliseconds> parseRetryAfter(std::string_view value, Millis now);

}  // namespace codecrew::core
