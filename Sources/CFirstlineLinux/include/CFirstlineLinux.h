// The Linux calls Swift's Glibc module leaves out: epoll, eventfd and accept4. Header-only;
// the symbols come from the C library, so this is no dependency, only a way to see them.
#pragma once

#ifdef __linux__
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

/// accept4(2), declared by glibc only under _GNU_SOURCE.
static inline int CFirstlineLinux_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(fd, address, length, flags);
}
#endif
