# Runs one Qt Test executable for CTest so that a skip is never reported as a pass (mt_add_test in
# tests/CMakeLists.txt registers every suite through it):
#
#   cmake -DMT_QTEST=<exe> [-DMT_QTEST_ONLY=f1,f2 | -DMT_QTEST_EXCEPT=f1,f2] -P run-qtest.cmake
#
# - the suite failed (non-zero exit, crash, a FAIL! line)       -> the test fails; failures always
#   win, because the skip marker below is only printed after a clean run;
# - every case it ran was skipped (0 passed, >0 skipped)         -> the last line is the marker
#   "${MT_QTEST_SKIP_MARKER}", which CTest's SKIP_REGULAR_EXPRESSION (anchored at the end of the
#   output) turns into "Skipped";
# - some cases passed and some were skipped                      -> passes only for a test that runs
#   the cases declared skip-prone (MT_QTEST_ONLY, mt_add_test's SKIPPABLE); elsewhere it fails and
#   names the cases to declare, so no skip hides inside a passing suite;
# - nothing ran at all                                           -> fails (a suite with no cases, or
#   output this script cannot read, proves nothing).
#
# CTest itself cannot make this decision: a SKIP_REGULAR_EXPRESSION match turns even a non-zero exit
# into "Skipped", so a regex on Qt Test's own "SKIP   :" lines would hide failures.
#
# MT_QTEST_EXCEPT runs every case but the listed ones (the ones registered as their own tests).
# Portable: it needs nothing but the cmake that runs ctest.
cmake_minimum_required(VERSION 3.25)

set(MT_QTEST_SKIP_MARKER "mt_add_test: every case was skipped")

if(NOT MT_QTEST)
  message(FATAL_ERROR "run-qtest.cmake: pass -DMT_QTEST=<test executable>")
endif()
string(REPLACE "," ";" only "${MT_QTEST_ONLY}")
string(REPLACE "," ";" except "${MT_QTEST_EXCEPT}")

set(cases ${only})
if(except)
  execute_process(COMMAND "${MT_QTEST}" -functions
    OUTPUT_VARIABLE listing ERROR_VARIABLE listing RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${listing}\n${MT_QTEST} -functions failed (${rc})")
  endif()
  string(REGEX MATCHALL "[A-Za-z_][A-Za-z0-9_]*\\(\\)" all "${listing}")
  string(REPLACE "()" "" all "${all}")
  foreach(name IN LISTS except)
    if(NOT name IN_LIST all)
      message(FATAL_ERROR "SKIPPABLE names ${name}, which is not a test function of ${MT_QTEST}: ${all}")
    endif()
  endforeach()
  set(cases ${all})
  list(REMOVE_ITEM cases ${except})
  if(NOT cases)
    message(FATAL_ERROR "every test function of ${MT_QTEST} is SKIPPABLE: register the suite as one test instead")
  endif()
endif()

# Echoed as it comes so a hang killed by CTest's timeout still shows how far it got.
execute_process(COMMAND "${MT_QTEST}" ${cases}
  OUTPUT_VARIABLE out ERROR_VARIABLE out ECHO_OUTPUT_VARIABLE ECHO_ERROR_VARIABLE
  RESULT_VARIABLE rc)

if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${MT_QTEST} failed: ${rc}")
endif()
string(REGEX MATCHALL "(^|\n)FAIL! *: [^\n]*" failed "${out}")
if(failed)
  message(FATAL_ERROR "${MT_QTEST} exited 0 but reported failures:${failed}")
endif()

# Qt Test reports initTestCase() and cleanupTestCase() as passes of their own; they are not cases.
string(REGEX MATCHALL "(^|\n)PASS *: [^\n]*" passed "${out}")
list(FILTER passed EXCLUDE REGEX "::(initTestCase|cleanupTestCase)\\(\\)")
string(REGEX MATCHALL "(^|\n)SKIP *: [^\n]*" skipped "${out}")
list(LENGTH passed passes)
list(LENGTH skipped skips)

if(passes EQUAL 0 AND skips EQUAL 0)
  message(FATAL_ERROR "${MT_QTEST} ran no test case (or printed no Qt Test PASS/SKIP lines)")
endif()
if(skips GREATER 0 AND passes GREATER 0 AND NOT only)
  string(REGEX REPLACE "(^|\n)SKIP *: " "\n  " skipped "${skipped}")
  message(FATAL_ERROR "${MT_QTEST}: ${skips} case(s) skipped inside a passing suite:${skipped}\n"
    "Register each skip-prone function as its own test (mt_add_test(... SKIPPABLE <function>)) "
    "so CTest shows it as skipped.")
endif()
if(skips GREATER 0 AND passes EQUAL 0)
  # Last line of the output: CTest's skip regex is anchored there.
  execute_process(COMMAND "${CMAKE_COMMAND}" -E echo "${MT_QTEST_SKIP_MARKER} (${skips})")
else()
  # Always a last line of our own, so nothing the test printed can end the output with the marker.
  execute_process(COMMAND "${CMAKE_COMMAND}" -E echo "mt_add_test: ${passes} passed, ${skips} skipped")
endif()
