#include "csluice_shims.h"
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__linux__)
#include <linux/tcp.h>
#include <netinet/in.h>
#endif

int csluice_set_malloc_thresholds(int mmap_threshold, int trim_threshold) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, mmap_threshold) && mallopt(M_TRIM_THRESHOLD, trim_threshold);
#else
    (void)mmap_threshold; (void)trim_threshold;
    return 0;
#endif
}

long long csluice_tcp_bytes_received(int fd) {
#if defined(__linux__)
    struct tcp_info info;
    socklen_t size = sizeof(info);
    memset(&info, 0, sizeof(info));
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0) return -1;
    if (size < (socklen_t)(offsetof(struct tcp_info, tcpi_bytes_received) + sizeof(info.tcpi_bytes_received))) return -1;
    return (long long)info.tcpi_bytes_received;
#else
    (void)fd;
    return -1;
#endif
}

int csluice_shutdown(int fd) {
    return shutdown(fd, SHUT_RDWR);
}
