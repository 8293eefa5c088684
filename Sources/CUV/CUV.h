// See module.modulemap: this module only carries pkg-config's flags for libuv to CLibUV.
#include <uv.h>
