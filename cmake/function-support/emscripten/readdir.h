/* What open.c tells readdir.c: a descriptor now names a freshly opened directory, read from its start. */
#ifndef FAASMJS_EMSCRIPTEN_READDIR_H
#define FAASMJS_EMSCRIPTEN_READDIR_H

void faasmjs_readdir_restart(int fd);

#endif
