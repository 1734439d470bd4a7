// Linux and glibc calls the HTTP server needs that Glibc's Swift module does not export: epoll and eventfd for the
// event loops, the CPU affinity and thread names, and malloc_trim.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

/// The number of CPUs this process may run on (its affinity mask), or 0 when unknown.
static inline int cepoll_cpu_count(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) != 0) return 0;
    return CPU_COUNT(&set);
}

/// Names the calling thread (at most 15 bytes are kept), for `top -H` and profilers.
static inline void cepoll_set_thread_name(const char *name) {
    pthread_setname_np(pthread_self(), name);
}
