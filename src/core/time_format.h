// Conversions between stored timestamps (Millis) and ISO-8601 text in UTC.
#pragma once

#include "core/clock.h"

#include <optional>
#include <string>
#include <string_view>

namespace codecrew::core {

// "2026-11-21T13:45:07.123Z".
std::string formatIso8601(Millis t);

// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS", with optional ".fff" and a "Z"
// or "+HH:MM"/"-HH:MM" offset (a missing offset means UTC). nullopt if malformed.
std::optional<Millis> parseIso8601(std::string_view text);

}  // namespace codecrew::core
