/* LD_PRELOAD shim for the recording tests: fsync() of a file whose path
 * contains $IRQLENS_FAIL_FSYNC fails with EIO (a disk that loses the data at
 * the end); every other call goes to the real fsync(). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int fsync(int fd) {
    int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    const char* fragment = getenv("IRQLENS_FAIL_FSYNC");
    if (fragment && *fragment) {
        char link[64], target[PATH_MAX];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        const ssize_t n = readlink(link, target, sizeof target - 1);
        if (n > 0) {
            target[n] = '\0';
            if (strstr(target, fragment)) {
                errno = EIO;
                return -1;
            }
        }
    }
    return real ? real(fd) : -1;
}
