// CLibUV: the C edge of the engine. It exposes libuv and libcurl to Swift and adds typed,
// non-variadic wrappers for the variadic curl calls, which Swift cannot call directly.
// The shims adapt types only; all logic stays in Swift (Sources/LoadEngine).
#ifndef CLIBUV_H
#define CLIBUV_H

#include <uv.h>
#include <curl/curl.h>
#include <stdint.h>

// curl_easy_setopt is variadic: one shim per argument type.
CURLcode CLibUV_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode CLibUV_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode CLibUV_easy_setopt_ptr(CURL *handle, CURLoption option, const void *value);
CURLcode CLibUV_easy_setopt_write_callback(CURL *handle, CURLoption option,
                                           size_t (*callback)(char *, size_t, size_t, void *));

// curl_multi_setopt is variadic too.
CURLMcode CLibUV_multi_setopt_long(CURLM *multi, CURLMoption option, long value);
CURLMcode CLibUV_multi_setopt_ptr(CURLM *multi, CURLMoption option, const void *value);
CURLMcode CLibUV_multi_setopt_socket_callback(CURLM *multi,
                                              int (*callback)(CURL *, curl_socket_t, int, void *, void *));
CURLMcode CLibUV_multi_setopt_timer_callback(CURLM *multi, int (*callback)(CURLM *, long, void *));

// curl_easy_getinfo is variadic: one shim per result type.
CURLcode CLibUV_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode CLibUV_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);
CURLcode CLibUV_easy_getinfo_ptr(CURL *handle, CURLINFO info, void **value);

// CURLOPT_CLOSESOCKETFUNCTION has its own callback type.
CURLcode CLibUV_easy_setopt_closesocket_callback(CURL *handle, int (*callback)(void *, curl_socket_t));

// CURLMsg.data is a union that Swift imports awkwardly: read the result code here.
CURLcode CLibUV_msg_result(const CURLMsg *message);

// Linux timerfd, for start times finer than libuv's millisecond timers. Returns -1 where unsupported.
int CLibUV_timerfd_create(void);
// Arms the timer for an absolute CLOCK_MONOTONIC time in nanoseconds (uv_hrtime uses that clock).
int CLibUV_timerfd_arm_absolute(int fd, uint64_t monotonic_nanos);
// Reads and discards the expiration count so that the fd is no longer readable.
void CLibUV_timerfd_drain(int fd);
void CLibUV_close_fd(int fd);

// A private epoll set for curl's sockets (Linux). libuv's uv_poll_start removes and re-adds the fd
// in the kernel on every change of interest, several epoll_ctl calls per request; a set of our own,
// watched by one uv_poll, changes only what curl changes. Returns -1 where epoll does not exist.
int CLibUV_epoll_create(void);
// op: 0 add, 1 modify, 2 delete; events: bit 0 readable, bit 1 writable. Returns 0 or -errno.
int CLibUV_epoll_control(int epoll_fd, int op, int fd, unsigned events);
// Non-blocking wait. Fills fds[i] and events[i] (bit 0 readable, bit 1 writable, bit 2 error or
// hang-up) for up to max ready sockets; returns their count, or -errno.
int CLibUV_epoll_ready(int epoll_fd, int *fds, unsigned *events, int max);
int CLibUV_close_socket(curl_socket_t fd);

#endif
