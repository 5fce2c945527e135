# `cmake -DDIR=<folder with package-lock.json> -DNPM=<npm> -DSTAMP=<file> -P npm_ci.cmake`
#
# Runs `npm ci` in DIR unless DIR/node_modules already matches DIR/package-lock.json, then
# touches STAMP. node_modules matches when npm's own record of the tree it installed
# (node_modules/.package-lock.json, written by every `npm ci` / `npm install`) is not older
# than the lockfile: then a second build directory, or someone's `npm install` in the same
# folder, does not make the build wipe and reinstall a tree that is already right.
foreach(var DIR NPM STAMP)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "npm_ci.cmake: -D${var}=... is required")
  endif()
endforeach()

set(lock "${DIR}/package-lock.json")
set(installed "${DIR}/node_modules/.package-lock.json")
if(EXISTS "${installed}" AND NOT "${lock}" IS_NEWER_THAN "${installed}")
  message(STATUS "npm: ${DIR}/node_modules matches package-lock.json")
else()
  message(STATUS "npm ci in ${DIR}")
  execute_process(COMMAND "${NPM}" ci --no-audit --no-fund --loglevel=error
                  WORKING_DIRECTORY "${DIR}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "npm ci failed in ${DIR} (exit ${rc}); is the npm registry reachable?")
  endif()
endif()
file(TOUCH "${STAMP}")
