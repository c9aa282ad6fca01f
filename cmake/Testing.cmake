# irqlens_add_gtest(NAME SOURCES a.cpp b.cpp LIBS lib1 lib2 [LABELS one-label] [TIMEOUT s]
#                   [RESOURCE_LOCK name])  tests sharing a lock (e.g. tracefs) never run together
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
    target_link_libraries(${name} PRIVATE irqlens_test_env irqlens_test_data)
    gtest_discover_tests(${name}
        DISCOVERY_TIMEOUT 60
        PROPERTIES
            LABELS "${T_LABELS}"
            ${extra_properties}
            TIMEOUT ${T_TIMEOUT})
endfunction()
