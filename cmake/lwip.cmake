# lwIP 2.1.3 from Debian's source package, fetched at configure time.
# Included from the top-level CMakeLists.txt; net/CMakeLists.txt builds the
# library `toro_lwip` from these sources plus the port (net/).
#
# Provides:
#   TORO_LWIP_DIR      ${CMAKE_BINARY_DIR}/src/lwip (Debian's tree, patched)
#   TORO_LWIP_INCLUDE  its src/include
#   TORO_LWIP_SOURCES  core (IPv4 and IPv6), api, netif/ethernet.c
#
# tools/fetch-debian-source.sh downloads the package once into
# ${CMAKE_BINARY_DIR}/src/debian-cache (with apt-get, so Debian's archive
# signature covers it), checks the pinned sha256 of the upstream tarball and
# unpacks it with Debian's patches applied.  Our own patches, if any, are
# net/patches/NNNN-*.patch, applied in order on top (see net/patches/README).
# Nothing from lwIP is committed.

set(TORO_LWIP_PACKAGE lwip)
set(TORO_LWIP_VERSION 2.1.3+dfsg1-2)
set(TORO_LWIP_ORIG_SHA256 0a8276d09fc4e97bbba2f953d74af2388fc2195ea156be9d7589e297a68fde24)
set(TORO_LWIP_DIR ${CMAKE_BINARY_DIR}/src/lwip)
set(TORO_LWIP_INCLUDE ${TORO_LWIP_DIR}/src/include)

set(_lwip_fetch ${CMAKE_SOURCE_DIR}/tools/fetch-debian-source.sh)
file(GLOB _lwip_patches CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/net/patches/[0-9][0-9][0-9][0-9]-*.patch)
list(SORT _lwip_patches)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_lwip_fetch} ${_lwip_patches})

# What the tree must be: the package, and the exact text of our patches.
set(_lwip_want "${TORO_LWIP_PACKAGE} ${TORO_LWIP_VERSION} ${TORO_LWIP_ORIG_SHA256}")
foreach(p ${_lwip_patches})
  file(SHA256 ${p} h)
  get_filename_component(n ${p} NAME)
  string(APPEND _lwip_want "\n${n} ${h}")
endforeach()
set(_lwip_stamp ${TORO_LWIP_DIR}/.toro-lwip-stamp)
set(_lwip_have "")
if(EXISTS ${_lwip_stamp})
  file(READ ${_lwip_stamp} _lwip_have)
endif()

if(NOT _lwip_have STREQUAL _lwip_want)
  # A changed patch set means a fresh tree (from the cache, no download).
  file(REMOVE_RECURSE ${TORO_LWIP_DIR})
  execute_process(
    COMMAND ${_lwip_fetch} ${TORO_LWIP_PACKAGE} ${TORO_LWIP_VERSION} ${TORO_LWIP_DIR}
            ${TORO_LWIP_ORIG_SHA256}
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "fetching lwIP ${TORO_LWIP_VERSION} failed (see above)")
  endif()
  foreach(p ${_lwip_patches})
    message(STATUS "lwIP: applying ${p}")
    execute_process(COMMAND patch -p1 --batch --forward --quiet -i ${p}
                    WORKING_DIRECTORY ${TORO_LWIP_DIR} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "lwIP: ${p} does not apply")
    endif()
  endforeach()
  file(WRITE ${_lwip_stamp} "${_lwip_want}")
endif()

file(GLOB TORO_LWIP_SOURCES
     ${TORO_LWIP_DIR}/src/core/*.c
     ${TORO_LWIP_DIR}/src/core/ipv4/*.c
     ${TORO_LWIP_DIR}/src/core/ipv6/*.c
     ${TORO_LWIP_DIR}/src/api/*.c)
list(APPEND TORO_LWIP_SOURCES ${TORO_LWIP_DIR}/src/netif/ethernet.c)
