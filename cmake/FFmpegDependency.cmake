# FFmpeg: a CMake package when the platform has one (vcpkg's FindFFMPEG wrapper sets
# FFMPEG_INCLUDE_DIRS / FFMPEG_LIBRARIES), otherwise pkg-config (Debian, Homebrew, MSYS2). Either
# way the result is the target MediaTriage::FFmpeg, and the version is checked: libavformat 59
# (FFmpeg 5.1) or newer.
set(MT_FFMPEG_MIN_AVFORMAT 59)
add_library(MediaTriage::FFmpeg INTERFACE IMPORTED)

find_package(FFMPEG QUIET)
if(FFMPEG_FOUND AND FFMPEG_LIBRARIES AND FFMPEG_INCLUDE_DIRS)
  target_include_directories(MediaTriage::FFmpeg INTERFACE ${FFMPEG_INCLUDE_DIRS})
  target_link_libraries(MediaTriage::FFmpeg INTERFACE ${FFMPEG_LIBRARIES})
  find_file(MT_AVFORMAT_VERSION_H libavformat/version_major.h PATHS ${FFMPEG_INCLUDE_DIRS} NO_DEFAULT_PATH)
  if(NOT MT_AVFORMAT_VERSION_H)
    message(FATAL_ERROR "FFmpeg (CMake package): libavformat/version_major.h not found; FFmpeg 5.1 or newer is needed")
  endif()
  file(STRINGS ${MT_AVFORMAT_VERSION_H} major REGEX "#define LIBAVFORMAT_VERSION_MAJOR +[0-9]+")
  string(REGEX MATCH "[0-9]+$" major "${major}")
  if(major LESS MT_FFMPEG_MIN_AVFORMAT)
    message(FATAL_ERROR "FFmpeg (CMake package): libavformat ${major} is too old; FFmpeg 5.1 (libavformat 59) or newer is needed")
  endif()
  message(STATUS "FFmpeg: CMake package, libavformat ${major}")
else()
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(MT_FFMPEG_PC REQUIRED IMPORTED_TARGET
    libavformat>=${MT_FFMPEG_MIN_AVFORMAT} libavcodec>=59 libavutil>=57 libswscale>=6 libswresample>=4)
  target_link_libraries(MediaTriage::FFmpeg INTERFACE PkgConfig::MT_FFMPEG_PC)
  message(STATUS "FFmpeg: pkg-config, libavformat ${MT_FFMPEG_PC_libavformat_VERSION}")
endif()
