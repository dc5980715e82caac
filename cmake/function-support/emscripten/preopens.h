/* The WASI preopened directories, through which every path of an Emscripten-built function reaches the host
 * (Emscripten's standalone libc knows no preopens; wasi-libc's libpreopen does the same for clang). */
#ifndef FAASMJS_EMSCRIPTEN_PREOPENS_H
#define FAASMJS_EMSCRIPTEN_PREOPENS_H

/* The preopen that holds `path` (longest matching name; a relative path is relative to the current directory,
 * the preopen "." or else "/") and, in *relative, the path inside it. Returns the preopen's fd, or -ENOENT. */
int faasmjs_resolve_path(const char* path, const char** relative);

#endif
