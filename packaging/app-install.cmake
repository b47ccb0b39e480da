# Install rules, platform bundle settings and the CPack DEB for the desktop app. Included from
# src/app/CMakeLists.txt once the `mediatriage` target exists.
#
#   cmake --build build-app && (cd build-app && cpack -G DEB)   ->  mediatriage_<version>_amd64.deb
#
# macOS (not built here, written from Qt's documented deployment flow):
#   MACOSX_BUNDLE with the identifier org.mediatriage.MediaTriage, Info.plist from CMake's template,
#   icon resources/icons/mediatriage.icns (make it from the SVG with `iconutil` on a Mac), then
#   `macdeployqt mediatriage.app -dmg` pulls in the Qt frameworks, the cocoa platform plugin and the
#   multimedia (AVFoundation) plugin. The bundled samples go to Contents/Resources/samples, where
#   AppPaths.cpp looks for them.
# Windows (not built here):
#   WIN32_EXECUTABLE, then `windeployqt --release --no-translations mediatriage.exe` copies the Qt
#   DLLs and plugins (windows platform, ffmpeg/windows multimedia backend); the samples go next to
#   the .exe under samples\. Use CPack's NSIS or WIX generator for an installer.
include(GNUInstallDirs)

set_target_properties(mediatriage PROPERTIES
  MACOSX_BUNDLE ON
  MACOSX_BUNDLE_GUI_IDENTIFIER org.mediatriage.MediaTriage
  MACOSX_BUNDLE_BUNDLE_NAME MediaTriage
  MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
  MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
  MACOSX_BUNDLE_ICON_FILE mediatriage.icns
  WIN32_EXECUTABLE ON)

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
endif()

# Only configure CPack for the app when this project is the top level (not when vendored).
if(PROJECT_IS_TOP_LEVEL)
  set(CPACK_PACKAGE_NAME mediatriage)
  set(CPACK_PACKAGE_VENDOR "The MediaTriage developers")
  set(CPACK_PACKAGE_CONTACT "MediaTriage maintainers <maintainers@mediatriage.org>")
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Browse, triage and clean up photos and videos")
  set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
  set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
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
  include(CPack)
endif()
