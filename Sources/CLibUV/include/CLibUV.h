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

// CURLOPT_OPENSOCKETFUNCTION has its own callback type.
CURLcode CLibUV_easy_setopt_opensocket_callback(CURL *handle,
                                                curl_socket_t (*callback)(void *, curlsocktype, struct curl_sockaddr *));

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

// uv_loop_configure is variadic: turns on the loop's idle-time metric (UV_METRICS_IDLE_TIME,
// libuv 1.39 and later), which uv_metrics_idle_time then reads. Returns UV_ENOSYS on older libuv.
int CLibUV_loop_enable_idle_time(uv_loop_t *loop);
// uv_metrics_idle_time, or 0 on a libuv without it.
uint64_t CLibUV_loop_idle_time(uv_loop_t *loop);

// Closes a socket for CURLOPT_CLOSESOCKETFUNCTION.
int CLibUV_close_socket(curl_socket_t fd);

#endif
