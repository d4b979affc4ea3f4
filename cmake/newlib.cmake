# Build newlib 3.3.0 (host gcc as the x86_64-elf "cross" compiler) into a flat
# sysroot inside the build tree.  Included from the top-level CMakeLists.txt.
#
# Provides:
#   TORO_SYSROOT        ${CMAKE_BINARY_DIR}/sysroot (include/, lib/)
#   TORO_NEWLIB_INCLUDE ${TORO_SYSROOT}/include
#   TORO_NEWLIB_LIBC    ${TORO_SYSROOT}/lib/libc.a
#   TORO_NEWLIB_LIBM    ${TORO_SYSROOT}/lib/libm.a
#   target `newlib`     (ALL) - runs tools/build-newlib.sh; consumers must
#                       add_dependencies(<tgt> newlib).
#
# The script keeps ${TORO_SYSROOT}/.stamp (tarball sha256 + flags) and is a
# no-op when it matches, so newlib is built once per build tree.

set(TORO_SYSROOT "${CMAKE_BINARY_DIR}/sysroot")
set(TORO_NEWLIB_INCLUDE "${TORO_SYSROOT}/include")
set(TORO_NEWLIB_LIBC "${TORO_SYSROOT}/lib/libc.a")
set(TORO_NEWLIB_LIBM "${TORO_SYSROOT}/lib/libm.a")
set(TORO_NEWLIB_WORK_DIR "${CMAKE_BINARY_DIR}/newlib-build")

set(_toro_newlib_script "${CMAKE_CURRENT_LIST_DIR}/../tools/build-newlib.sh")
get_filename_component(_toro_newlib_script "${_toro_newlib_script}" ABSOLUTE)
file(GLOB _toro_newlib_patches CONFIGURE_DEPENDS
     "${CMAKE_CURRENT_LIST_DIR}/../libc-glue/newlib/patches/*.patch")

add_custom_command(
  OUTPUT "${TORO_SYSROOT}/.stamp"
  BYPRODUCTS "${TORO_NEWLIB_LIBC}" "${TORO_NEWLIB_LIBM}"
  COMMAND "${_toro_newlib_script}" "${TORO_SYSROOT}" "${TORO_NEWLIB_WORK_DIR}"
  DEPENDS "${_toro_newlib_script}" ${_toro_newlib_patches}
  COMMENT "Building newlib 3.3.0 into ${TORO_SYSROOT}"
  VERBATIM
  USES_TERMINAL)

add_custom_target(newlib ALL DEPENDS "${TORO_SYSROOT}/.stamp")

# Let the kernel/app targets link libc/libm as imported static libraries.
if(NOT TARGET toro::newlib_c)
  add_library(toro::newlib_c STATIC IMPORTED GLOBAL)
  set_target_properties(toro::newlib_c PROPERTIES IMPORTED_LOCATION "${TORO_NEWLIB_LIBC}")
  add_dependencies(toro::newlib_c newlib)
  add_library(toro::newlib_m STATIC IMPORTED GLOBAL)
  set_target_properties(toro::newlib_m PROPERTIES IMPORTED_LOCATION "${TORO_NEWLIB_LIBM}")
  add_dependencies(toro::newlib_m newlib)
endif()
