# CPack settings for the macOS DMG and the Windows ZIP + NSIS installer (the DEB's are in
# app-install.cmake). Included from there just before include(CPack).
set(CPACK_PACKAGE_INSTALL_DIRECTORY MediaTriage)

if(APPLE)
  set(CPACK_GENERATOR DragNDrop)
  # The DMG shows MediaTriage.app beside a link to /Applications (CPack's default).
  set(CPACK_DMG_VOLUME_NAME "MediaTriage ${PROJECT_VERSION}")
  set(CPACK_DMG_FORMAT UDZO)
elseif(WIN32)
  set(CPACK_GENERATOR "ZIP;NSIS")
  set(CPACK_NSIS_PACKAGE_NAME MediaTriage)
  set(CPACK_NSIS_DISPLAY_NAME MediaTriage)
  set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
  set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\mediatriage.exe")
  if(MT_WINDOWS_ICON)
    set(CPACK_NSIS_MUI_ICON ${MT_WINDOWS_ICON})
    set(CPACK_NSIS_MUI_UNIICON ${MT_WINDOWS_ICON})
  endif()
  # Start-menu entry: bin\mediatriage.exe as "MediaTriage".
  set(CPACK_PACKAGE_EXECUTABLES mediatriage MediaTriage)
  # "Open with" for photos and videos: added to each extension's OpenWithProgids and listed as
  # supported types; never made the default program of any type.
  set(mt_extensions .jpg .jpeg .png .gif .webp .heic .heif .avif .dng .cr2 .cr3 .nef .arw .raf .orf .rw2
                    .mp4 .mov .m4v .webm .avi .mkv)
  set(mt_app_key "Software\\\\Classes\\\\Applications\\\\mediatriage.exe")
  set(install_cmds
    "WriteRegStr HKLM '${mt_app_key}\\\\shell\\\\open\\\\command' '' '\\\"$INSTDIR\\\\bin\\\\mediatriage.exe\\\" \\\"%1\\\"'"
    "WriteRegStr HKLM 'Software\\\\Classes\\\\MediaTriage.Media\\\\shell\\\\open\\\\command' '' '\\\"$INSTDIR\\\\bin\\\\mediatriage.exe\\\" \\\"%1\\\"'"
    "WriteRegStr HKLM 'Software\\\\Classes\\\\MediaTriage.Media' 'FriendlyTypeName' 'MediaTriage photo or video'")
  set(uninstall_cmds
    "DeleteRegKey HKLM '${mt_app_key}'"
    "DeleteRegKey HKLM 'Software\\\\Classes\\\\MediaTriage.Media'")
  foreach(ext IN LISTS mt_extensions)
    list(APPEND install_cmds
      "WriteRegStr HKLM 'Software\\\\Classes\\\\${ext}\\\\OpenWithProgids' 'MediaTriage.Media' ''"
      "WriteRegStr HKLM '${mt_app_key}\\\\SupportedTypes' '${ext}' ''")
    list(APPEND uninstall_cmds
      "DeleteRegValue HKLM 'Software\\\\Classes\\\\${ext}\\\\OpenWithProgids' 'MediaTriage.Media'")
  endforeach()
  string(REPLACE ";" "\n" CPACK_NSIS_EXTRA_INSTALL_COMMANDS "${install_cmds}")
  string(REPLACE ";" "\n" CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS "${uninstall_cmds}")
endif()
