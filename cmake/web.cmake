# The web console (web/, React + Vite) built with npm into ${CMAKE_BINARY_DIR}/web, beside the
# vigil binary, where `vigil serve` looks for it by default (docs/console-api.md, "Static
# files"); and the node modules of the browser end-to-end tests (tests/e2e/).
#
#   vigil_web      (in ALL) `npm ci` when web/package-lock.json changed, then `npm run build`
#                  with VIGIL_WEB_OUT=<build>/web when a file of web/ changed; else nothing.
#   vigil_e2e_deps (in ALL, with the tests) `npm ci` in tests/e2e when its lockfile changed.
#
# Node >= 20 and npm come from scripts/install-deps.sh. Until web/package.json exists, the
# console is not built (a message says so); the glob below re-runs CMake when it appears.

option(VIGIL_BUILD_WEB "Build the web console and its browser tests (needs Node >= 20 and npm)" ON)
set(VIGIL_WEB_ENABLED OFF)
if(NOT VIGIL_BUILD_WEB)
  return()
endif()

set(VIGIL_WEB_SOURCE_DIR ${CMAKE_SOURCE_DIR}/web)
set(VIGIL_WEB_OUT ${CMAKE_BINARY_DIR}/web)
set(VIGIL_E2E_DIR ${CMAKE_SOURCE_DIR}/tests/e2e)
set(VIGIL_NODE_MIN_VERSION 20)  # Vite 8 (web: node >= 20.19) and playwright-core 1.65 need Node 20

file(GLOB VIGIL_WEB_PACKAGE CONFIGURE_DEPENDS ${VIGIL_WEB_SOURCE_DIR}/package.json)
file(GLOB VIGIL_E2E_PACKAGE CONFIGURE_DEPENDS ${VIGIL_E2E_DIR}/package-lock.json)
if(NOT VIGIL_WEB_PACKAGE)
  message(STATUS "web console: web/package.json does not exist yet; vigil_web builds nothing")
  add_custom_target(vigil_web ALL
    COMMAND ${CMAKE_COMMAND} -E echo "web console not built: web/package.json does not exist yet")
  if(NOT (VIGIL_BUILD_TESTS AND VIGIL_E2E_PACKAGE))
    return()
  endif()
endif()

find_program(NODE_EXECUTABLE node)
find_program(NPM_EXECUTABLE npm)
if(NOT NODE_EXECUTABLE OR NOT NPM_EXECUTABLE)
  message(FATAL_ERROR "The web console and its tests need Node.js (>= ${VIGIL_NODE_MIN_VERSION}) "
                      "and npm, and `node` or `npm` is not on PATH: run `bash scripts/install-deps.sh` "
                      "(or `make deps`), then configure again; or configure with -DVIGIL_BUILD_WEB=OFF.")
endif()
execute_process(COMMAND ${NODE_EXECUTABLE} --version OUTPUT_VARIABLE VIGIL_NODE_VERSION
                OUTPUT_STRIP_TRAILING_WHITESPACE)
string(REGEX REPLACE "^v([0-9]+).*" "\\1" VIGIL_NODE_MAJOR "${VIGIL_NODE_VERSION}")
if(VIGIL_NODE_MAJOR LESS VIGIL_NODE_MIN_VERSION)
  message(FATAL_ERROR "${NODE_EXECUTABLE} is ${VIGIL_NODE_VERSION}; the web console's build and "
                      "its browser tests need Node >= ${VIGIL_NODE_MIN_VERSION} "
                      "(see scripts/install-deps.sh), or configure with -DVIGIL_BUILD_WEB=OFF.")
endif()

# `npm ci` in `dir` when its lockfile is newer than the stamp (cmake/npm_ci.cmake).
function(vigil_npm_ci dir stamp)
  add_custom_command(OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -DDIR=${dir} -DNPM=${NPM_EXECUTABLE} -DSTAMP=${stamp}
            -P ${CMAKE_SOURCE_DIR}/cmake/npm_ci.cmake
    DEPENDS ${dir}/package-lock.json ${dir}/package.json ${CMAKE_SOURCE_DIR}/cmake/npm_ci.cmake
    COMMENT "npm ci in ${dir} (when its lockfile changed)"
    VERBATIM)
endfunction()

if(VIGIL_WEB_PACKAGE)
  set(VIGIL_WEB_ENABLED ON)
  set(web_stamp ${CMAKE_BINARY_DIR}/web-npm-ci.stamp)
  vigil_npm_ci(${VIGIL_WEB_SOURCE_DIR} ${web_stamp})
  # Everything the build reads: the sources, static assets, and the top-level configuration
  # (package.json, tsconfig*.json, vite.config.ts, index.html). Not node_modules or dist.
  file(GLOB_RECURSE web_sources CONFIGURE_DEPENDS
       ${VIGIL_WEB_SOURCE_DIR}/src/* ${VIGIL_WEB_SOURCE_DIR}/public/*)
  file(GLOB web_top CONFIGURE_DEPENDS
       ${VIGIL_WEB_SOURCE_DIR}/*.json ${VIGIL_WEB_SOURCE_DIR}/*.ts ${VIGIL_WEB_SOURCE_DIR}/*.js
       ${VIGIL_WEB_SOURCE_DIR}/*.mjs ${VIGIL_WEB_SOURCE_DIR}/*.html)
  add_custom_command(OUTPUT ${VIGIL_WEB_OUT}/index.html
    COMMAND ${CMAKE_COMMAND} -E env VIGIL_WEB_OUT=${VIGIL_WEB_OUT}
            ${NPM_EXECUTABLE} run build --silent
    DEPENDS ${web_stamp} ${web_sources} ${web_top}
    WORKING_DIRECTORY ${VIGIL_WEB_SOURCE_DIR}
    COMMENT "Building the web console into ${VIGIL_WEB_OUT} (npm run build)"
    VERBATIM)
  add_custom_target(vigil_web ALL DEPENDS ${VIGIL_WEB_OUT}/index.html)
endif()

if(VIGIL_BUILD_TESTS AND VIGIL_E2E_PACKAGE)
  set(VIGIL_E2E_STAMP ${CMAKE_BINARY_DIR}/e2e-npm-ci.stamp)
  vigil_npm_ci(${VIGIL_E2E_DIR} ${VIGIL_E2E_STAMP})
  add_custom_target(vigil_e2e_deps ALL DEPENDS ${VIGIL_E2E_STAMP})
endif()
