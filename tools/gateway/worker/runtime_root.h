// Faasm's runtime root as the worker embeds it: the tree of sdk/runtime-root/ (etc/hosts, etc/passwd,
// etc/resolv.conf) and its empty directories (tmp, share), compiled in from that tree at build time
// (embed_runtime_root.cmake), so the tree stays the one source. Every worker's file system starts as this.
#pragma once

#include <span>
#include <string_view>

namespace faasmjs::gateway::worker {

struct RuntimeRootEntry {
  std::string_view path;  // relative to the root, '/'-separated: "etc/passwd", "tmp"
  bool directory = false;
  std::string_view contents;  // a file's bytes
};

// Directories first (parents of the files need not be listed), then files in path order.
std::span<const RuntimeRootEntry> runtime_root_entries();

}  // namespace faasmjs::gateway::worker
