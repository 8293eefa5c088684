// See module.modulemap: this module only carries pkg-config's flags for libcurl to CLibUV.
#include <curl/curl.h>
