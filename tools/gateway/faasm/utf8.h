// Whether bytes are valid UTF-8 by the rule protobuf applies to proto3 `string` fields (well-formed sequences of
// Unicode 15 table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF; U+0000 is allowed). faabric's
// Message.outputData is such a field: a call whose output fails this check kills Faasm's planner (README.md).
#pragma once

#include <string_view>

namespace faasmjs::gateway::faasm {

bool isValidUtf8(std::string_view bytes);

}  // namespace faasmjs::gateway::faasm
