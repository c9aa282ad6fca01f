# irqlens_add_gtest(NAME SOURCES a.cpp b.cpp LIBS lib1 lib2 [LABELS l] [TIMEOUT s])
# Every test knows where the shared samples and the project's own samples are
# through the environment (IRQLENS_SAMPLES, IRQLENS_PROJECT_SAMPLES).
function(irqlens_add_gtest name)
    cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 120)
    endif()
    add_executable(${name} ${T_SOURCES})
    target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
    irqlens_warnings(${name})
    gtest_discover_tests(${name}
        DISCOVERY_TIMEOUT 60
        PROPERTIES
            ENVIRONMENT "IRQLENS_SAMPLES=${IRQLENS_SAMPLES_DIR};IRQLENS_PROJECT_SAMPLES=${PROJECT_SOURCE_DIR}/samples;IRQLENS_TEST_DATA=${PROJECT_SOURCE_DIR}/tests/data;IRQLENS_BIN_DIR=${PROJECT_BINARY_DIR}/bin;QT_QPA_PLATFORM=offscreen"
            LABELS "${T_LABELS}"
            TIMEOUT ${T_TIMEOUT})
endfunction()
