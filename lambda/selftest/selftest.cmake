# `bootstrap --self-test` (lambda/SelfTest.{h,cpp}) and the samples it runs the real pipelines on,
# embedded as Qt resources so the check needs nothing but the binary and its libraries.
# Usage, from lambda/CMakeLists.txt:  include(selftest/selftest.cmake)  mt_add_selftest(<library or executable>)
# The samples were made once with Debian's tools (see make-samples.sh next to this file).
function(mt_add_selftest target)
  target_sources(${target} PRIVATE
    ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../SelfTest.h
    ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../SelfTest.cpp)
  # With a target, qt_add_resources also handles static libraries (the resources are linked as an
  # object library into whatever links the target, so no Q_INIT_RESOURCE is needed).
  qt_add_resources(${target} mt_selftest
    PREFIX /mt-selftest
    BASE ${CMAKE_CURRENT_FUNCTION_LIST_DIR}
    FILES
      ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/sample.heic
      ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/sample.mp4)
  target_link_libraries(${target} PRIVATE mediatriage_core Qt6::Core Qt6::Gui Qt6::Network Qt6::Sql)
endfunction()
