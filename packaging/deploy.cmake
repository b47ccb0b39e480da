# Install-time deployment for macOS and Windows (included from packaging/app-install.cmake):
# whatever `cmake --install` or CPack stages gets the Qt and non-Qt libraries the app needs next
# to it, then the platform's signing hook. Not run here (Debian); .github/workflows/ runs it.
get_target_property(mt_qmake Qt6::qmake IMPORTED_LOCATION)
get_filename_component(mt_qt_bin "${mt_qmake}" DIRECTORY)

if(APPLE)
  find_program(MT_MACDEPLOYQT macdeployqt HINTS ${mt_qt_bin} REQUIRED)
  # -executable: the CLI in Contents/MacOS gets its library paths rewritten too. macdeployqt
  # copies every non-system dylib the binaries link (Homebrew's FFmpeg, libheif, Exiv2,
  # QtKeychain and theirs) into Contents/Frameworks.
  install(CODE "
    set(app \"\${CMAKE_INSTALL_PREFIX}/MediaTriage.app\")
    execute_process(COMMAND \"${MT_MACDEPLOYQT}\" \"\${app}\"
                            \"-executable=\${app}/Contents/MacOS/mediatriage-cli\" -verbose=1
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR \"macdeployqt failed (\${rc})\")
    endif()
    execute_process(COMMAND bash \"${MT_PACKAGING_DIR}/macos/sign.sh\" \"\${app}\" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR \"packaging/macos/sign.sh failed (\${rc})\")
    endif()
  " COMPONENT app)
elseif(WIN32)
  find_program(MT_WINDEPLOYQT NAMES windeployqt6 windeployqt HINTS ${mt_qt_bin} REQUIRED)
  # The non-Qt DLLs: every DLL the two executables load that lives with the toolchain's or Qt's
  # (MSYS2: /ucrt64/bin), not Windows' own.
  install(RUNTIME_DEPENDENCY_SET mt_windows_dlls
    DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT app
    DIRECTORIES ${mt_qt_bin} $ENV{PATH}
    PRE_EXCLUDE_REGEXES "^api-ms-" "^ext-ms-"
    POST_EXCLUDE_REGEXES ".*[/\\\\][Ss]ystem32[/\\\\].*" ".*[/\\\\][Ww]indows[/\\\\].*")
  # Qt's TLS backend loads OpenSSL at run time, so no scan sees it.
  find_file(MT_LIBSSL NAMES libssl-3-x64.dll libssl-3.dll HINTS ${mt_qt_bin})
  find_file(MT_LIBCRYPTO NAMES libcrypto-3-x64.dll libcrypto-3.dll HINTS ${mt_qt_bin})
  if(MT_LIBSSL AND MT_LIBCRYPTO)
    install(FILES ${MT_LIBSSL} ${MT_LIBCRYPTO} DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT app)
  else()
    message(WARNING "OpenSSL DLLs not found next to Qt: the packaged app will have no HTTPS (Gemini)")
  endif()
  install(CODE "
    set(bin \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
    execute_process(COMMAND \"${MT_WINDEPLOYQT}\" --no-translations --no-compiler-runtime
                            \"\${bin}/mediatriage.exe\" \"\${bin}/mediatriage-cli.exe\"
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR \"windeployqt failed (\${rc})\")
    endif()
    execute_process(COMMAND powershell -NoProfile -ExecutionPolicy Bypass
                            -File \"${MT_PACKAGING_DIR}/windows/sign.ps1\" \"\${bin}\" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR \"packaging/windows/sign.ps1 failed (\${rc})\")
    endif()
  " COMPONENT app)
endif()
