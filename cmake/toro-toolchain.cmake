# CMake toolchain file for Toro images:
#   cmake -DCMAKE_TOOLCHAIN_FILE=/path/to/toro/cmake/toro-toolchain.cmake ...
# Uses the toolchain of a Toro build tree: TORO_BUILD_DIR, default ../build
# next to this file.  An executable target links into a bootable image.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

if(NOT TORO_BUILD_DIR)
  get_filename_component(TORO_BUILD_DIR "${CMAKE_CURRENT_LIST_DIR}/../build" ABSOLUTE)
endif()
set(TORO_BUILD_DIR "${TORO_BUILD_DIR}" CACHE PATH "Toro build tree with bin/x86_64-toro-gcc")

set(CMAKE_C_COMPILER "${TORO_BUILD_DIR}/bin/x86_64-toro-gcc")
set(CMAKE_AR "${TORO_BUILD_DIR}/bin/x86_64-toro-ar")
set(CMAKE_RANLIB "${TORO_BUILD_DIR}/bin/x86_64-toro-ranlib")
# The compiler cannot produce a host executable, so do not try to run one.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH "${TORO_BUILD_DIR}/sysroot")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
