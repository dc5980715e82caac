// The state tier for a Faasm cluster in STATE_MODE=inmemory, where values live
// in the memory of each key's main host and the only way in from outside is the
// upload server's whole-value door (faasm
// src/upload/UploadEndpointHandler.cpp):
//
//   GET /s/USER/KEY   the value (a key that does not exist: "Must specify size
//   for creating key-value") PUT /s/USER/KEY   replaces it and pushes it to the
//   key's main (an empty body does nothing)
//
// So whole values work, and reads of a part are cut from the whole value.
// Everything that cannot be mapped onto whole values without a
// read-modify-write racing Faasm's hosts (pushes that keep or zero-extend
// bytes, partial pushes, append logs, listing keys, locks) is refused with
// BadState naming the mode, never done locally. A value whose size differs from
// the one Faasm holds is refused too: a Faasm host fixes a key's size when it
// first creates it, and the upload server would store a cut or overrun copy
// (what it wrote is read back and compared, so a change on the way is an error
// as well).
#pragma once

#include <memory>

#include "faasm/upload_client.h"
#include "state/global_store.h"
#include "state/state_locks.h"

namespace faasmjs::gateway::faasm {

std::unique_ptr<state::GlobalStore> make_upload_state_store(std::shared_ptr<const UploadClient> upload);
// Locks that refuse every request: without Redis, Faasm has no lock a gateway
// could share.
std::unique_ptr<state::StateLocks> make_inmemory_mode_locks();

}  // namespace faasmjs::gateway::faasm
