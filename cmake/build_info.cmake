# Writes core/build_info.h (the commit and the build's date, for --version)
# at every build, touching it only when they change, so that only main.cpp
# recompiles, and only then. Run by the build_info target in CMakeLists.txt:
#   cmake -DSOURCE_DIR=... -DOUTPUT=... -P cmake/build_info.cmake
execute_process(
  COMMAND git -C "${SOURCE_DIR}" describe --always --dirty --abbrev=12
  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR commit STREQUAL "")
  set(commit "unknown")
endif()
string(TIMESTAMP build_date "%Y-%m-%d" UTC)
set(text "// Generated at build time by cmake/build_info.cmake; do not edit.
#pragma once
namespace codecrew::core {
inline constexpr const char* kCommit = \"${commit}\";
inline constexpr const char* kBuildDate = \"${build_date}\";
}  // namespace codecrew::core
")
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
else()
  set(old "")
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUTPUT}" "${text}")
endif()
