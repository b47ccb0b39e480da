# Install rules, platform bundle settings and CPack packages for the desktop app. Included from
# src/app/CMakeLists.txt once the `mediatriage` target exists.
#
#   Linux:   cmake --build build && (cd build && cpack -G DEB)   -> mediatriage_<version>_amd64.deb
#   macOS:   cmake --build build && (cd build && cpack -G DragNDrop)   -> mediatriage-<version>-Darwin.dmg
#   Windows: cmake --build build && (cd build && cpack -G "ZIP;NSIS")  -> .zip and setup .exe
#
# macOS: MediaTriage.app with packaging/macos/Info.plist.in (document types for "Open With"), the
#   .icns made from the SVG at build time (cmake/AppIcons.cmake), the CLI in Contents/MacOS, then
#   at install time packaging/deploy.cmake runs macdeployqt (Qt frameworks and plugins, and the
#   Homebrew dylibs: FFmpeg, libheif, Exiv2, QtKeychain) and the signing hook macos/sign.sh.
# Windows: mediatriage.exe (icon from the SVG) and mediatriage-cli.exe in bin\, windeployqt for
#   Qt's DLLs and plugins, the other DLLs from the dependency scan below (FFmpeg, libheif,
#   Exiv2, QtKeychain, their own dependencies) plus OpenSSL (Qt loads it at run time), then the
#   signing hook windows/sign.ps1. NSIS adds a Start-menu entry and "Open with" associations.
# None of the macOS/Windows rules have run here (Debian); .github/workflows/ runs them.
include(GNUInstallDirs)

set_target_properties(mediatriage PROPERTIES
  MACOSX_BUNDLE ON
  MACOSX_BUNDLE_GUI_IDENTIFIER org.mediatriage.MediaTriage
  MACOSX_BUNDLE_BUNDLE_NAME MediaTriage
  MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
  MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
  MACOSX_BUNDLE_ICON_FILE mediatriage.icns
  MACOSX_BUNDLE_INFO_PLIST ${PROJECT_SOURCE_DIR}/packaging/macos/Info.plist.in
  WIN32_EXECUTABLE ON)
if(APPLE)
  set_target_properties(mediatriage PROPERTIES OUTPUT_NAME MediaTriage) # MediaTriage.app
endif()
include(AppIcons)
mt_add_app_icon(mediatriage)

set(MT_PACKAGING_DIR ${PROJECT_SOURCE_DIR}/packaging)
install(TARGETS mediatriage
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT app
  BUNDLE DESTINATION . COMPONENT app)
if(UNIX AND NOT APPLE)
  install(FILES ${MT_PACKAGING_DIR}/org.mediatriage.MediaTriage.desktop
    DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT app)
  install(FILES ${MT_PACKAGING_DIR}/org.mediatriage.MediaTriage.metainfo.xml
    DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo COMPONENT app)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/org.mediatriage.MediaTriage.svg
    DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT app)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/samples/
    DESTINATION ${CMAKE_INSTALL_DATADIR}/mediatriage/samples COMPONENT app)
elseif(APPLE)
  install(TARGETS mediatriage-cli RUNTIME DESTINATION MediaTriage.app/Contents/MacOS COMPONENT app)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/samples/
    DESTINATION MediaTriage.app/Contents/Resources/samples COMPONENT app)
  include(${MT_PACKAGING_DIR}/deploy.cmake)
elseif(WIN32)
  install(TARGETS mediatriage mediatriage-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT app
    RUNTIME_DEPENDENCY_SET mt_windows_dlls)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/samples/
    DESTINATION ${CMAKE_INSTALL_BINDIR}/samples COMPONENT app)
  include(${MT_PACKAGING_DIR}/deploy.cmake)
endif()

# Only configure CPack for the app when this project is the top level (not when vendored).
if(PROJECT_IS_TOP_LEVEL)
  set(CPACK_PACKAGE_NAME mediatriage)
  set(CPACK_PACKAGE_VENDOR "The MediaTriage developers")
  set(CPACK_PACKAGE_CONTACT "MediaTriage maintainers <maintainers@mediatriage.org>")
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Browse, triage and clean up photos and videos")
  set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
  if(UNIX AND NOT APPLE)
    set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
  endif()
  set(CPACK_STRIP_FILES ON)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
  set(CPACK_DEBIAN_PACKAGE_SECTION graphics)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  # Not found by shlibdeps: Qt's platform plugins are only Recommended by libqt6gui6, the SVG icon
  # plugin is loaded at run time, and Qt Multimedia needs the GStreamer decoders to play anything.
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "qt6-qpa-plugins, libqt6svg6, libqt6sql6-sqlite, gstreamer1.0-plugins-good, gstreamer1.0-plugins-bad, gstreamer1.0-libav")
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager")
  # Only the app's own install rules (component "app") go into this .deb, as one package.
  set(CPACK_DEB_COMPONENT_INSTALL ON)
  set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
  set(CPACK_COMPONENTS_ALL app)
  include(${MT_PACKAGING_DIR}/cpack-platforms.cmake)
  include(CPack)
endif()
