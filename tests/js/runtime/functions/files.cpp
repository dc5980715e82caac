// files: one file-system operation per call, for the runtime's file-system tests (tests/js/runtime/files.test.mjs).
// Input "OP PATH [TEXT]", output what it found:
//   "read PATH"          the file's bytes, or "errno N" when fopen fails
//   "write PATH TEXT"    fopen(PATH, "w"), writes TEXT: "wrote N", or "errno N"
//   "append PATH TEXT"   the same with "a"
//   "stat PATH"          "file SIZE", "directory", or "errno N"
//   "list PATH"          the directory's entries without . and .., sorted, one per line, or "errno N"
//   "state KEY PATH"     __faasm_write_state_from_file(KEY, PATH), then pushes KEY: "state N"
//   "fd"                 opens /etc/hosts and reports the descriptor: "fd N"
#include <dirent.h>
#include <faasmjs/detail/host_abi.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

void output(const std::string& text) { __faasm_write_output(text.c_str(), static_cast<long>(text.size())); }

std::string failure() { return "errno " + std::to_string(errno); }

std::string readFile(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) return failure();
  std::string contents;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) contents.append(buffer, n);
  std::fclose(file);
  return contents;
}

std::string writeFile(const std::string& path, const char* mode, const std::string& text) {
  FILE* file = std::fopen(path.c_str(), mode);
  if (file == nullptr) return failure();
  const size_t written = std::fwrite(text.data(), 1, text.size(), file);
  std::fclose(file);
  return "wrote " + std::to_string(written);
}

std::string statPath(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return failure();
  if (S_ISDIR(info.st_mode)) return "directory";
  return "file " + std::to_string(info.st_size);
}

std::string listDirectory(const std::string& path) {
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return failure();
  std::vector<std::string> names;
  while (const dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  std::string listing;
  for (const std::string& name : names) listing += name + "\n";
  return listing;
}

}  // namespace

int main() {
  std::string input(static_cast<size_t>(__faasm_read_input(nullptr, 0)), '\0');
  __faasm_read_input(reinterpret_cast<unsigned char*>(input.data()), static_cast<long>(input.size()));
  const size_t space = input.find(' ');
  const std::string op = input.substr(0, space);
  const std::string rest = space == std::string::npos ? "" : input.substr(space + 1);
  const size_t second = rest.find(' ');
  const std::string path = rest.substr(0, second);
  const std::string text = second == std::string::npos ? "" : rest.substr(second + 1);

  if (op == "read")
    output(readFile(path));
  else if (op == "write")
    output(writeFile(path, "w", text));
  else if (op == "append")
    output(writeFile(path, "a", text));
  else if (op == "stat")
    output(statPath(path));
  else if (op == "list")
    output(listDirectory(path));
  else if (op == "state") {
    const unsigned length = __faasm_write_state_from_file(path.c_str(), text.c_str());
    __faasm_push_state(path.c_str());
    output("state " + std::to_string(length));
  } else if (op == "fd") {
    output("fd " + std::to_string(open("/etc/hosts", O_RDONLY)));
  } else {
    output("unknown operation " + op);
    return 2;
  }
  return 0;
}
