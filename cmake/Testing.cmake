# irqlens_add_gtest(NAME SOURCES a.cpp b.cpp LIBS lib1 lib2 [LABELS one-label] [TIMEOUT s]
#                   [RESOURCE_LOCK name])  tests sharing a lock (e.g. tracefs) never run together
# Every test knows where the shared samples and the project's own samples are
# through the environment (IRQLENS_SAMPLES, IRQLENS_PROJECT_SAMPLES,
# IRQLENS_TEST_DATA, IRQLENS_SOURCE_DIR, IRQLENS_BIN_DIR), set at start-up by
# the generated test_env.cpp (one object linked into each test binary).
configure_file(${CMAKE_CURRENT_LIST_DIR}/test_env.cpp.in ${PROJECT_BINARY_DIR}/test_env.cpp @ONLY)
add_library(irqlens_test_env OBJECT ${PROJECT_BINARY_DIR}/test_env.cpp)
function(irqlens_add_gtest name)
    cmake_parse_arguments(T "" "TIMEOUT;RESOURCE_LOCK" "SOURCES;LIBS;LABELS" ${ARGN})
    set(extra_properties)
    if(T_RESOURCE_LOCK)
        set(extra_properties RESOURCE_LOCK ${T_RESOURCE_LOCK})
    endif()
    # gtest_discover_tests passes PROPERTIES through a command line and two
    # list expansions: a second label would become a property name and
    # swallow the ones after it (TIMEOUT, RESOURCE_LOCK).
    list(LENGTH T_LABELS label_count)
    if(label_count GREATER 1)
        message(FATAL_ERROR "irqlens_add_gtest(${name}): one label per test, got ${T_LABELS}")
    endif()
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 120)
    endif()
    add_executable(${name} ${T_SOURCES})
    target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
    irqlens_warnings(${name})
    target_link_libraries(${name} PRIVATE irqlens_test_env)
    gtest_discover_tests(${name}
        DISCOVERY_TIMEOUT 60
        PROPERTIES
            LABELS "${T_LABELS}"
            ${extra_properties}
            TIMEOUT ${T_TIMEOUT})
endfunction()
