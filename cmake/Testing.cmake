# irqlens_add_gtest(NAME SOURCES a.cpp b.cpp LIBS lib1 lib2 [LABELS l1 l2 ...] [TIMEOUT s]
#                   [RESOURCE_LOCK name]  tests sharing a lock (e.g. tracefs) never run together
#                   [NEEDS needs-x=REGEX ...])
# LABELS: the area (gui, record, ...) and, when every test of the executable
# may skip, a needs-* label per thing they need that a machine may lack.
# NEEDS: the same label for just the tests whose name matches REGEX
# (needs-field-corpus=^PageDecoder\\.Zlib).  In CI a skipped test without a
# needs-* label fails the run (scripts/check-skips); what scripts/deps
# installs (trace-cmd, ...) is never a reason to skip.
#   needs-tracefs       root and a tracefs to record from
#   needs-sshd          a loopback sshd (root, openssh-server's sshd)
#   needs-root          root for something else (mounting a small tmpfs)
#   needs-lab           the qemu lab: root, Debian's archive (network), qemu
#   needs-field-corpus  the field corpus outside the repository (test_data.h)
# Every test finds its data through tests/support/test_data.h (samples/ and
# tests/data/ of this repository; the field corpus is the one thing outside).
# IRQLENS_SOURCE_DIR and IRQLENS_BIN_DIR reach the tests' child processes
# through the environment, set at start-up by the generated test_env.cpp.
configure_file(${CMAKE_CURRENT_LIST_DIR}/test_env.cpp.in ${PROJECT_BINARY_DIR}/test_env.cpp @ONLY)
add_library(irqlens_test_env OBJECT ${PROJECT_BINARY_DIR}/test_env.cpp)
add_library(irqlens_test_data STATIC ${PROJECT_SOURCE_DIR}/tests/support/test_data.cpp)
target_include_directories(irqlens_test_data PUBLIC ${PROJECT_SOURCE_DIR})
target_compile_definitions(irqlens_test_data PRIVATE IRQLENS_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
function(irqlens_add_gtest name)
    cmake_parse_arguments(T "" "TIMEOUT;RESOURCE_LOCK" "SOURCES;LIBS;LABELS;NEEDS" ${ARGN})
    set(extra_properties)
    if(T_RESOURCE_LOCK)
        set(extra_properties RESOURCE_LOCK ${T_RESOURCE_LOCK})
    endif()
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 120)
    endif()
    add_executable(${name} ${T_SOURCES})
    target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
    irqlens_warnings(${name})
    target_link_libraries(${name} PRIVATE irqlens_test_env irqlens_test_data)
    gtest_discover_tests(${name}
        DISCOVERY_TIMEOUT 60
        PROPERTIES
            ${extra_properties}
            TIMEOUT ${T_TIMEOUT})
    # Labels are set by a ctest include file that runs after the discovered
    # tests are defined: gtest_discover_tests passes PROPERTIES through a
    # command line and two list expansions, where a second label would become
    # a property name.  ${name}_TESTS is the list of tests it discovered.
    set(needs_code "")
    foreach(need IN LISTS T_NEEDS)
        if(NOT need MATCHES "^(needs-[a-z0-9-]+)=(.+)$")
            message(FATAL_ERROR "irqlens_add_gtest(${name}): NEEDS ${need} is not needs-x=REGEX")
        endif()
        string(APPEND needs_code "    if(t MATCHES [==[${CMAKE_MATCH_2}]==])\n"
                                 "      list(APPEND labels ${CMAKE_MATCH_1})\n"
                                 "    endif()\n")
    endforeach()
    if(T_LABELS OR needs_code)
        set(labels_file "${CMAKE_CURRENT_BINARY_DIR}/${name}_labels.cmake")
        file(WRITE "${labels_file}"
             "foreach(t IN LISTS ${name}_TESTS)\n"
             "    set(labels \"${T_LABELS}\")\n"
             "${needs_code}"
             "    set_tests_properties(\"\${t}\" PROPERTIES LABELS \"\${labels}\")\n"
             "endforeach()\n")
        set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${labels_file}")
    endif()
endfunction()
