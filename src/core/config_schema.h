// ConfigSchema: every table and key that codecrew.toml may hold, with its
// type, default, environment override and meaning. It is the one list the
// start-up check, the commented example file (codecrew.toml.example, printed
// by `codecrew config example`) and the README's tables are kept against:
// a key read anywhere but missing here is refused at start as unknown.
//
// A table named with a trailing ".*" (providers.*, models.*) holds tables of
// any name, each with the listed keys.
// Thread-safety: immutable data and pure functions.
#pragma once

#include "core/result.h"

#include <boost/json/object.hpp>

#include <span>
#include <string>
#include <string_view>

namespace codecrew::core {

struct ConfigKey {
  std::string_view table;          // "server", "providers.*", "gateway.keys.*"
  std::string_view key;            // "port"
  std::string_view type;           // "string", "integer", "number", "boolean", "array"
  std::string_view default_value;  // as TOML text; empty when there is none
  std::string_view env;            // overriding environment variable, if any
  std::string_view doc;            // one line
};

struct ConfigTable {
  std::string_view name;               // "server", "providers.*"
  std::string_view doc;                // what the table is for, one or two lines
  std::string_view example_name = {};  // for ".*" tables: the name used in the example file
};

// Every table, in the order of the example file.
std::span<const ConfigTable> configTables();

// Every key, grouped by table in the order of configTables().
std::span<const ConfigKey> configKeys();

// kInvalidArgument naming the first unknown table or key of `document` (the
// whole TOML file as JSON), with the nearest known name when one is close:
//   unknown key server.prot in codecrew.toml (did you mean server.port?)
// Also refuses a known table given as a plain value (server = 1).
Status checkKnownKeys(const boost::json::object& document);

// The commented example file: every table and key with its default (keys
// without a default commented out), environment variable and meaning.
std::string renderExampleConfig();

}  // namespace codecrew::core
