# The app icon for macOS (.icns) and Windows (.ico), made at build time from the one SVG in
# resources/icons, so no binary icon is kept in the repository.
#   macOS:   rsvg-convert (Homebrew librsvg) or, failing that, QuickLook's qlmanage renders the
#            sizes; iconutil packs them (packaging/macos/make-icns.sh).
#   Windows: ImageMagick's `magick` writes a multi-size .ico; a resource script embeds it.
# Linux installs the SVG itself (hicolor/scalable).
set(MT_ICON_SVG ${PROJECT_SOURCE_DIR}/resources/icons/org.mediatriage.MediaTriage.svg)

function(mt_add_app_icon target)
  if(APPLE)
    set(icns ${CMAKE_CURRENT_BINARY_DIR}/mediatriage.icns)
    add_custom_command(OUTPUT ${icns}
      COMMAND bash ${PROJECT_SOURCE_DIR}/packaging/macos/make-icns.sh ${MT_ICON_SVG} ${icns}
      DEPENDS ${MT_ICON_SVG} ${PROJECT_SOURCE_DIR}/packaging/macos/make-icns.sh
      COMMENT "Making mediatriage.icns from the SVG" VERBATIM)
    target_sources(${target} PRIVATE ${icns})
    set_source_files_properties(${icns} PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
  elseif(WIN32)
    find_program(MT_MAGICK magick)
    if(NOT MT_MAGICK)
      message(WARNING "ImageMagick (magick) not found: mediatriage.exe gets no icon")
      return()
    endif()
    set(ico ${CMAKE_CURRENT_BINARY_DIR}/mediatriage.ico)
    add_custom_command(OUTPUT ${ico}
      COMMAND ${MT_MAGICK} -background none -density 384 ${MT_ICON_SVG}
              -define icon:auto-resize=256,128,64,48,32,16 ${ico}
      DEPENDS ${MT_ICON_SVG}
      COMMENT "Making mediatriage.ico from the SVG" VERBATIM)
    file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/mediatriage-icon.rc "IDI_ICON1 ICON \"mediatriage.ico\"\n")
    set_source_files_properties(${CMAKE_CURRENT_BINARY_DIR}/mediatriage-icon.rc PROPERTIES OBJECT_DEPENDS ${ico})
    target_sources(${target} PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/mediatriage-icon.rc)
    set(MT_WINDOWS_ICON ${ico} PARENT_SCOPE)
  endif()
endfunction()
