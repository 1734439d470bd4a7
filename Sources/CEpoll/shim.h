// Linux and glibc calls the HTTP server needs that Glibc's Swift module does not export: epoll and eventfd for the
// event loops, the CPU affinity and thread names, and malloc_trim. No feature macros (_GNU_SOURCE) here: they would
// give shared system types (fd_set) other definitions than the Glibc module's, which a clean build rejects.
#include <malloc.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/// The number of CPUs this process may run on (its affinity mask, by the raw system call), or 0 when unknown.
static inline int cepoll_cpu_count(void) {
    unsigned long mask[64] = {0};
    long bytes = syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask);
    if (bytes <= 0) return 0;
    int count = 0;
    for (long i = 0; i < bytes / (long)sizeof(unsigned long); i++) count += __builtin_popcountl(mask[i]);
    return count;
}

/// Names the calling thread (at most 15 bytes are kept), for `top -H` and profilers.
static inline void cepoll_set_thread_name(const char *name) {
    prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}
