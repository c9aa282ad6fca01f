# Man pages for irqlens-cli and irqlens, made at build time by help2man from
# the programs' own --help (Debian package help2man).
find_program(HELP2MAN_EXECUTABLE help2man)
if(NOT HELP2MAN_EXECUTABLE)
    message(STATUS "help2man not found: no man pages (apt install help2man)")
    return()
endif()

set(man_dir ${CMAKE_CURRENT_BINARY_DIR}/man)
file(MAKE_DIRECTORY ${man_dir})
set(man_pages)

function(irqlens_man_page target name include subcommands)
    set(out ${man_dir}/${target}.1.gz)
    add_custom_command(
        OUTPUT ${out}
        # the GUI parses its command line after creating QApplication: no display needed
        COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
                ${CMAKE_COMMAND} -DHELP2MAN=${HELP2MAN_EXECUTABLE} -DPROGRAM=$<TARGET_FILE:${target}>
                "-DNAME=${name}" -DOUTPUT=${out} -DINCLUDE=${CMAKE_CURRENT_SOURCE_DIR}/${include}
                -DSUBCOMMANDS=${subcommands} -DWORK_DIR=${man_dir}
                -P ${CMAKE_CURRENT_SOURCE_DIR}/GenerateManPage.cmake
        DEPENDS ${target} ${CMAKE_CURRENT_SOURCE_DIR}/${include}
                ${CMAKE_CURRENT_SOURCE_DIR}/GenerateManPage.cmake
        COMMENT "Generating the man page of ${target}")
    install(FILES ${out} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
    set(man_pages ${man_pages} ${out} PARENT_SCOPE)
endfunction()

irqlens_man_page(irqlens-cli "hard IRQs and their bottom halves from ftrace captures, on the command line"
                 irqlens-cli.h2m ON)
if(TARGET irqlens)
    irqlens_man_page(irqlens "see how Linux handles an interrupt, per CPU, from ftrace captures"
                     irqlens.h2m OFF)
endif()
add_custom_target(man-pages ALL DEPENDS ${man_pages})
