// Linux calls that Swift's Glibc module does not export: epoll, eventfd, accept4, inotify,
// pthread_setname_np, getrandom.
#pragma once
#ifdef __linux__
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/random.h>
#include <sys/socket.h>

int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);

/// Names a thread, as `top -H` and debuggers show it (at most 15 bytes; glibc declares it only
/// under _GNU_SOURCE).
int pthread_setname_np(pthread_t thread, const char *name);
#endif
