# Flags and helpers for code that runs inside a Toro image.
#
# toro_target_library(NAME [KERNEL] SOURCES...) builds a static library with
# the target flags.  KERNEL code is also built with -mgeneral-regs-only: it may
# run in interrupt context, where the application's SSE state is live.

execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=include
                OUTPUT_VARIABLE TORO_GCC_INCLUDE OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-libgcc-file-name
                OUTPUT_VARIABLE TORO_LIBGCC OUTPUT_STRIP_TRAILING_WHITESPACE)

# Code generation every object in an image shares (the app's too: see
# tools/x86_64-toro-gcc.in, which must agree).
set(TORO_CODEGEN_FLAGS
    -fno-pic -fno-pie -mno-red-zone -mno-avx -fno-omit-frame-pointer
    -fstack-protector-strong -mstack-protector-guard=global -fstack-clash-protection
    -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables)

set(TORO_KERNEL_INCLUDES
    ${CMAKE_SOURCE_DIR}/kernel/include
    ${CMAKE_SOURCE_DIR}/drivers/include
    ${CMAKE_SOURCE_DIR}/fs/include
    ${CMAKE_SOURCE_DIR}/net/include)

function(toro_target_library name)
  cmake_parse_arguments(ARG "KERNEL" "" "SOURCES" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  add_dependencies(${name} newlib)
  target_compile_options(${name} PRIVATE
      -nostdinc
      "SHELL:-isystem ${TORO_NEWLIB_INCLUDE}"
      "SHELL:-isystem ${TORO_GCC_INCLUDE}"
      -ffreestanding -O2 -g -std=gnu11 -Wall -Wextra -Wno-unused-parameter
      ${TORO_CODEGEN_FLAGS})
  if(ARG_KERNEL)
    target_compile_options(${name} PRIVATE $<$<COMPILE_LANGUAGE:C>:-mgeneral-regs-only>)
  endif()
  target_include_directories(${name} PRIVATE ${TORO_KERNEL_INCLUDES})
  set_target_properties(${name} PROPERTIES
      ARCHIVE_OUTPUT_DIRECTORY ${TORO_LIBDIR})
endfunction()
