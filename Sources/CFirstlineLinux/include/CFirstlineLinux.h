// The Linux calls Swift's Glibc module leaves out: epoll, eventfd and accept4. Header-only;
// the symbols come from the C library, so this is no dependency, only a way to see them.
//
// No _GNU_SOURCE here: it would change how glibc's shared headers (fd_set in sys/select.h)
// are seen through this module, and a clean build then fails where Dispatch's module sees
// them the other way. accept4 is declared by hand instead.
#pragma once

#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

/// accept4(2): glibc declares it only under _GNU_SOURCE; the symbol is always there.
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

static inline int CFirstlineLinux_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(fd, address, length, flags);
}
#endif
