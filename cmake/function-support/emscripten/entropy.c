/* getentropy (and so arc4random-style seeding): WASI random_get, as in wasi-libc. Emscripten's is a
 * JavaScript import no Faasm host provides. */
#include <errno.h>
#include <stddef.h>
#include <wasi/api.h>

#define GETENTROPY_MAX 256

int getentropy(void* buffer, size_t length) {
  if (length > GETENTROPY_MAX) {
    errno = EIO;
    return -1;
  }
  __wasi_errno_t error = __wasi_random_get(buffer, length);
  if (error != __WASI_ERRNO_SUCCESS) {
    errno = error;
    return -1;
  }
  return 0;
}
