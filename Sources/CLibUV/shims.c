#include "CLibUV.h"

#if defined(__linux__)
#include <sys/timerfd.h>
#endif
#include <errno.h>
#include <time.h>
#include <unistd.h>

CURLcode CLibUV_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode CLibUV_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode CLibUV_easy_setopt_ptr(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode CLibUV_easy_setopt_write_callback(CURL *handle, CURLoption option,
                                           size_t (*callback)(char *, size_t, size_t, void *)) {
    return curl_easy_setopt(handle, option, callback);
}

CURLcode CLibUV_easy_setopt_opensocket_callback(CURL *handle,
                                                curl_socket_t (*callback)(void *, curlsocktype, struct curl_sockaddr *)) {
    return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, callback);
}

CURLcode CLibUV_easy_setopt_closesocket_callback(CURL *handle, int (*callback)(void *, curl_socket_t)) {
    return curl_easy_setopt(handle, CURLOPT_CLOSESOCKETFUNCTION, callback);
}

CURLMcode CLibUV_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

CURLMcode CLibUV_multi_setopt_ptr(CURLM *multi, CURLMoption option, const void *value) {
    return curl_multi_setopt(multi, option, value);
}

CURLMcode CLibUV_multi_setopt_socket_callback(CURLM *multi,
                                              int (*callback)(CURL *, curl_socket_t, int, void *, void *)) {
    return curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, callback);
}

CURLMcode CLibUV_multi_setopt_timer_callback(CURLM *multi, int (*callback)(CURLM *, long, void *)) {
    return curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, callback);
}

CURLcode CLibUV_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLcode CLibUV_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLcode CLibUV_easy_getinfo_ptr(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

CURLcode CLibUV_msg_result(const CURLMsg *message) {
    return message->data.result;
}

int CLibUV_timerfd_create(void) {
#if defined(__linux__)
    return timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
#else
    return -1;
#endif
}

int CLibUV_timerfd_arm_absolute(int fd, uint64_t monotonic_nanos) {
#if defined(__linux__)
    struct itimerspec spec = {0};
    if (monotonic_nanos == 0) monotonic_nanos = 1;  // zero would disarm the timer
    spec.it_value.tv_sec = (time_t)(monotonic_nanos / 1000000000ULL);
    spec.it_value.tv_nsec = (long)(monotonic_nanos % 1000000000ULL);
    return timerfd_settime(fd, TFD_TIMER_ABSTIME, &spec, NULL);
#else
    (void)fd; (void)monotonic_nanos;
    return -1;
#endif
}

void CLibUV_timerfd_drain(int fd) {
    uint64_t expirations;
    ssize_t n;
    do { n = read(fd, &expirations, sizeof expirations); } while (n < 0 && errno == EINTR);
}

void CLibUV_close_fd(int fd) {
    close(fd);
}

int CLibUV_close_socket(curl_socket_t fd) {
    return close(fd);
}

int CLibUV_loop_enable_idle_time(uv_loop_t *loop) {
#if UV_VERSION_HEX >= 0x012700
    return uv_loop_configure(loop, UV_METRICS_IDLE_TIME);
#else
    (void)loop;
    return UV_ENOSYS;
#endif
}

uint64_t CLibUV_loop_idle_time(uv_loop_t *loop) {
#if UV_VERSION_HEX >= 0x012700
    return uv_metrics_idle_time(loop);
#else
    (void)loop;
    return 0;
#endif
}
