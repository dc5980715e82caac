/*
 * Faasm's file helpers (libfaasm's <faasm/files.h>), header-only, on the function's file system (WASI).
 *
 * Ownership: readFileToString returns a malloc'd, NUL-terminated copy the caller frees with free().
 */
#ifndef FAASM_FILES_H
#define FAASM_FILES_H

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>

namespace faasm {

// The file's size in bytes, or -1 if it cannot be opened.
inline long getFileLength(const char* path) {
  struct stat info {};
  if (stat(path, &info) != 0) {
    return -1;
  }
  return static_cast<long>(info.st_size);
}

// The whole file, or nullptr if it cannot be read or is empty (as libfaasm: an empty file reads as nullptr).
inline char* readFileToString(const char* path) {
  const long length = getFileLength(path);
  if (length <= 0) {
    return nullptr;
  }
  std::FILE* file = std::fopen(path, "rb");
  if (file == nullptr) {
    return nullptr;
  }
  char* text = static_cast<char*>(std::malloc(static_cast<std::size_t>(length) + 1));
  std::size_t read = 0;
  if (text != nullptr) {
    read = std::fread(text, 1, static_cast<std::size_t>(length), file);
    text[read] = '\0';
  }
  std::fclose(file);
  if (read == 0) {
    std::free(text);
    return nullptr;
  }
  return text;
}

}  // namespace faasm

#endif /* FAASM_FILES_H */
