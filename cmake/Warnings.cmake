# Compiler warnings for every project target (call irqlens_warnings(target)).
function(irqlens_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
        -Wcast-align -Wdouble-promotion -Wformat=2
        # C++20 designated initializers rely on default member initializers.
        -Wno-missing-field-initializers)
    if(IRQLENS_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()

# C sources (kernel-style headers from libtraceevent) get a softer set.
function(irqlens_c_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra)
    if(IRQLENS_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
