// Whether this program is built with AddressSanitizer. Its runtime reserves terabytes of shadow memory at
// start and reads /proc/self/maps for every new thread, so no address-space limit, and no confinement that
// hides /proc, can apply to an ASan build of a program; those builds exist to find memory errors, and the
// release build's tests (gateway.worker.sandbox, gateway.aot.sandbox) are the ones that prove confinement.
#pragma once

namespace faasmjs::gateway {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

}  // namespace faasmjs::gateway
