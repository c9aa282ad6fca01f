// A bigger capture for the render benchmark: `copies` copies of a store's
// events one after the other in time (types and pools shared by id).
#pragma once

#include "core/model/event_store.h"

#include <memory>

namespace irqlens::bench {

std::unique_ptr<EventStore> tiledStore(const EventStore& source, int copies);

} // namespace irqlens::bench
