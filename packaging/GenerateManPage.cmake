# Writes a gzipped man page for one program with help2man, at build time, from
# the program's own --help / --version (so the page never falls behind it).
#
#   cmake -DHELP2MAN=... -DPROGRAM=path -DNAME="one line" -DOUTPUT=x.1.gz
#         -DINCLUDE=extra.h2m [-DSUBCOMMANDS=ON] -DWORK_DIR=dir -P GenerateManPage.cmake
#
# With SUBCOMMANDS=ON the program is a git-style CLI: every command listed
# under "Commands:" in its --help gets a subsection with its full
# `PROGRAM COMMAND --help` text.
cmake_minimum_required(VERSION 3.25)
get_filename_component(program_name "${PROGRAM}" NAME)
set(include_file "${WORK_DIR}/${program_name}.h2m")
file(READ "${INCLUDE}" include_text)

# Text shown as-is in troff: escape backslashes and lines that start with a
# control character.
function(to_troff_literal text out)
    string(REPLACE "\\" "\\e" text "${text}")
    string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

if(SUBCOMMANDS)
    execute_process(COMMAND "${PROGRAM}" --help OUTPUT_VARIABLE top RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${PROGRAM} --help failed (${rc})")
    endif()
    string(REGEX MATCH "Commands:\n(([ ][^\n]*\n)+)" block "${top}")
    string(REGEX MATCHALL "\n  [a-z][a-z0-9-]*" names "\n${CMAKE_MATCH_1}")
    string(APPEND include_text "\n[COMMANDS]\n")
    foreach(name ${names})
        string(STRIP "${name}" name)
        execute_process(COMMAND "${PROGRAM}" ${name} --help OUTPUT_VARIABLE usage RESULT_VARIABLE rc)
        if(NOT rc EQUAL 0)
            message(FATAL_ERROR "${PROGRAM} ${name} --help failed (${rc})")
        endif()
        to_troff_literal("${usage}" usage)
        string(APPEND include_text ".SS ${name}\n.nf\n${usage}.fi\n")
    endforeach()
endif()
file(WRITE "${include_file}" "${include_text}")

get_filename_component(page "${OUTPUT}" NAME_WLE) # x.1
set(page_file "${WORK_DIR}/${page}")
execute_process(
    COMMAND "${HELP2MAN}" --no-info --section=1 --name=${NAME} --include=${include_file}
            --output=${page_file} "${PROGRAM}"
    RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "help2man ${PROGRAM} failed: ${err}")
endif()
# Debian wants man pages compressed; -n keeps the file reproducible.
execute_process(COMMAND gzip -n -9 -f "${page_file}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${page_file} failed")
endif()
file(RENAME "${page_file}.gz" "${OUTPUT}")
