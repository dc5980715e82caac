// `faasmjs-gateway token --user NAME [--role invoke|upload|admin] [--ttl 1h] --key-file FILE`: prints a
// token for HELLO signed with the key a gateway verifies with (--token-key-file), for scripts and for the
// demo. An application's backend can mint the same tokens itself (docs/protocol.md, "Tokens").
#pragma once

namespace faasmjs::gateway {

// argv[0] is "token". The exit status: 0 with the token on stdout, 2 with one line on stderr.
int token_command(int argc, char** argv);

}  // namespace faasmjs::gateway
