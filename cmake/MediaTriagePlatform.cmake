# Per-platform source selection and per-compiler warnings, shared by every folder.

# The platform a source file is written for, from its name's suffix.
if(WIN32)
  set(MT_PLATFORM win)
elseif(APPLE)
  set(MT_PLATFORM mac)
else()
  set(MT_PLATFORM linux) # Linux and the BSDs: freedesktop.org desktops
endif()

# mt_platform_sources(<target> LINUX <files> MAC <files> WIN <files>)
# Adds the files of the platform being built to <target>. The Windows files of every call are also
# recorded (with the Linux files they replace) in ${CMAKE_BINARY_DIR}/platform-sources.tsv, which
# packaging/check-windows-syntax.sh reads to compile exactly what a Windows build would.
function(mt_platform_sources target)
  cmake_parse_arguments(ARG "" "" "LINUX;MAC;WIN" ${ARGN})
  if(MT_PLATFORM STREQUAL "win")
    set(chosen ${ARG_WIN})
  elseif(MT_PLATFORM STREQUAL "mac")
    set(chosen ${ARG_MAC})
  else()
    set(chosen ${ARG_LINUX})
  endif()
  target_sources(${target} PRIVATE ${chosen})
  set(linux "")
  foreach(f IN LISTS ARG_LINUX)
    get_filename_component(abs ${f} ABSOLUTE)
    list(APPEND linux ${abs})
  endforeach()
  set(win "")
  foreach(f IN LISTS ARG_WIN)
    get_filename_component(abs ${f} ABSOLUTE)
    list(APPEND win ${abs})
  endforeach()
  string(REPLACE ";" "," linux "${linux}")
  string(REPLACE ";" "," win "${win}")
  set_property(GLOBAL APPEND PROPERTY MT_PLATFORM_SOURCE_ROWS "${linux}\t${win}")
endfunction()

# Written once configuration is done, so every folder's calls are in it.
function(mt_write_platform_sources)
  get_property(rows GLOBAL PROPERTY MT_PLATFORM_SOURCE_ROWS)
  string(REPLACE ";" "\n" text "${rows}")
  file(WRITE ${CMAKE_BINARY_DIR}/platform-sources.tsv "# linux files<TAB>the Windows files that replace them\n${text}\n")
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL mt_write_platform_sources)

# Warnings in each compiler's own terms.
function(mt_enable_warnings)
  if(MSVC)
    # /utf-8: the sources are UTF-8 (translatable strings, test names like "Straße 日本").
    add_compile_options(/W4 /utf-8 /permissive- /Zc:__cplusplus)
    if(MEDIATRIAGE_WERROR)
      add_compile_options(/WX)
    endif()
  else()
    add_compile_options(-Wall -Wextra)
    if(MEDIATRIAGE_WERROR)
      add_compile_options(-Werror)
    endif()
  endif()
endfunction()
