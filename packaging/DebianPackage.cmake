# `cpack -G DEB` (or the `package` target): one irqlens_<version>_<arch>.deb
# with both programs.  Depends is computed by dpkg-shlibdeps from the ELF
# files, so it names the Debian library packages the build really links
# (libtracecmd1, libqt6widgets6, ...).
set(CPACK_PACKAGE_NAME irqlens)
set(CPACK_PACKAGE_VENDOR "irqlens project")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "see how Linux handles an interrupt, from ftrace captures")
set(CPACK_PACKAGE_DESCRIPTION
    "irqlens shows the hard IRQ (top half) and each bottom half it causes - softirq,
tasklet, workqueue item run by a kworker, threaded IRQ - on per-CPU timelines,
read from trace-cmd captures (trace.dat v6/v7), with latency histograms, CDFs
and percentiles, kernel stacks and the comparison of two captures.
.
This package holds the desktop application (irqlens), the command-line tool
(irqlens-cli: summary, latency, spans, compare, record - locally or over ssh),
man pages, bash completion, a sample capture and the user guide.")
set(CPACK_PACKAGE_CONTACT "irqlens maintainers <irqlens@example.org>")
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_SOURCE_GENERATOR "") # no source package

set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/irqlens")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# irqlens-cli record drives trace-cmd's formats and the remote side over ssh
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "trace-cmd, openssh-client, kernelshark")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # irqlens_0.1.0_amd64.deb
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

include(CPack)
