// The WASI preview1 calls the support code of this folder makes that Emscripten 3.1.6's own JavaScript WASI
// library lacks. Emscripten checks every undefined symbol against its JavaScript libraries, even one the code
// declares as a wasm import; declared here, they stay `wasi_snapshot_preview1` imports, as with clang.
mergeInto(LibraryManager.library, {
  fd_filestat_get: function() {},
  fd_prestat_get: function() {},
  fd_prestat_dir_name: function() {},
  fd_readdir: function() {},
  path_create_directory: function() {},
  path_filestat_get: function() {},
  path_open: function() {},
  path_rename: function() {},
  path_unlink_file: function() {},
  poll_oneoff: function() {},
  random_get: function() {},
});
