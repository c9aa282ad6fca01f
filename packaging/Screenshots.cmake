# `cmake --build BUILD --target docs-screenshots` renders the pictures of
# docs/USER_GUIDE.md with `irqlens --screenshot` (offscreen, no display), so
# they show what the current build draws.  The PNGs are committed.
if(NOT TARGET irqlens)
    return()
endif()
set(images ${PROJECT_SOURCE_DIR}/docs/images)
# The GPIO IRQ of the qemu lab (modules/lab), handled by a workqueue and by a
# threaded handler: the comparison users come for.
set(sample ${PROJECT_SOURCE_DIR}/samples/wq.dat)
set(second ${PROJECT_SOURCE_DIR}/samples/threaded.dat)
set(shot $<TARGET_FILE:irqlens> --size 1100x640)
set(commands
    COMMAND ${CMAKE_COMMAND} -E make_directory ${images}
    COMMAND ${shot} --screenshot ${images}/open-timeline.png --view timeline ${sample}
    COMMAND ${shot} --screenshot ${images}/episode-selected.png --view timeline
            --select-episode 3 ${sample}
    COMMAND ${shot} --screenshot ${images}/latency.png --view latency ${sample})
# The Overview of the three GPIO samples: one IRQ, three bottom halves.
foreach(mode wq threaded tasklet)
    if(EXISTS ${PROJECT_SOURCE_DIR}/samples/${mode}.dat)
        list(APPEND commands COMMAND $<TARGET_FILE:irqlens> --size 1300x760 --screenshot
             ${images}/overview-${mode}.png --view overview ${PROJECT_SOURCE_DIR}/samples/${mode}.dat)
    endif()
endforeach()
if(EXISTS ${second})
    list(APPEND commands
         COMMAND ${shot} --screenshot ${images}/compare.png --view compare --compare ${second} ${sample})
endif()
add_custom_target(docs-screenshots ${commands}
    DEPENDS irqlens
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    COMMENT "Rendering docs/images/*.png with irqlens --screenshot"
    VERBATIM)
