# The web UI (SPEC §11): a React + Vite + TypeScript app in web/, built into
# web/dist, which `codecrew serve` serves at / (src/api/web_routes.cpp).
#
# - core/build_paths.h (generated): the default [server] web_dir, this source
#   tree's web/dist.
# - target `web` (in ALL), only when npm is found and web/package.json exists:
#   `npm ci` when package-lock.json is newer than node_modules/.package-lock.json
#   (npm install when there is no lockfile yet), then `npm run build`, rerun
#   only when the UI's sources change (a stamp in the build directory).
set(CODECREW_WEB_SOURCE_DIR ${CMAKE_SOURCE_DIR}/web)
set(CODECREW_DEFAULT_WEB_DIR ${CODECREW_WEB_SOURCE_DIR}/dist)
configure_file(${CMAKE_SOURCE_DIR}/src/core/build_paths.h.in ${CMAKE_BINARY_DIR}/generated/core/build_paths.h @ONLY)

find_program(NPM_PROGRAM npm)
if(NOT NPM_PROGRAM OR NOT EXISTS ${CODECREW_WEB_SOURCE_DIR}/package.json)
  if(NOT NPM_PROGRAM)
    message(STATUS "web UI: npm not found, the UI is not built (codecrew serves a page saying so)")
  endif()
  return()
endif()

set(web ${CODECREW_WEB_SOURCE_DIR})
file(GLOB_RECURSE web_inputs CONFIGURE_DEPENDS ${web}/src/* ${web}/public/*)
file(GLOB web_configs CONFIGURE_DEPENDS ${web}/tsconfig*.json ${web}/vite.config.* ${web}/index.html)
list(APPEND web_inputs ${web_configs} ${web}/package.json)

set(web_installed ${web}/node_modules/.package-lock.json)
if(EXISTS ${web}/package-lock.json)
  list(APPEND web_inputs ${web}/package-lock.json)
  set(web_install_command ${NPM_PROGRAM} ci --no-audit --no-fund)
  set(web_install_depends ${web}/package-lock.json)
else()
  set(web_install_command ${NPM_PROGRAM} install --no-audit --no-fund)
  set(web_install_depends ${web}/package.json)
endif()
add_custom_command(
  OUTPUT ${web_installed}
  COMMAND ${web_install_command}
  COMMAND ${CMAKE_COMMAND} -E touch ${web_installed}
  DEPENDS ${web_install_depends}
  WORKING_DIRECTORY ${web}
  COMMENT "web UI: installing its packages (npm in web/)"
  VERBATIM)

set(web_stamp ${CMAKE_BINARY_DIR}/web/build.stamp)
add_custom_command(
  OUTPUT ${web_stamp}
  COMMAND ${NPM_PROGRAM} run build
  COMMAND ${CMAKE_COMMAND} -E touch ${web_stamp}
  DEPENDS ${web_inputs} ${web_installed}
  WORKING_DIRECTORY ${web}
  COMMENT "web UI: npm run build (web/dist)"
  VERBATIM)
add_custom_target(web ALL DEPENDS ${web_stamp})
