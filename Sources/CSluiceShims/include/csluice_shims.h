#ifndef CSLUICE_SHIMS_H
#define CSLUICE_SHIMS_H

/// Makes glibc serve allocations of at least `mmap_threshold` bytes with mmap (returned to the system on free)
/// and trim the heap above `trim_threshold` free bytes, with fixed thresholds instead of glibc's dynamic ones.
/// Returns 1 on success, 0 where unsupported.
int csluice_set_malloc_thresholds(int mmap_threshold, int trim_threshold);

/// Bytes the kernel has received on a TCP socket (TCP_INFO tcpi_bytes_received), or -1 if `fd` is not a TCP
/// socket or the kernel does not report it.
long long csluice_tcp_bytes_received(int fd);

/// Shuts a socket down in both directions without closing the descriptor (its owner, libzmq, sees the connection
/// end and closes it). Returns 0 on success, -1 with errno set.
int csluice_shutdown(int fd);

#endif
