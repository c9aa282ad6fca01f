// Helpers of the Record dialog tests: an offscreen application whose
// QSettings belong to this test process only, and waiting on the event loop.
#pragma once

#include "core/model/event_store.h"

#include <QString>
#include <functional>
#include <map>
#include <string>

namespace irqlens::gui::test {

// ensureApp() plus settings of this process only (removed at exit).
void ensureIsolatedApp();

// Runs the event loop until `done()` or `timeoutMs`; returns done().
bool waitUntil(const std::function<bool()>& done, int timeoutMs);

// Events per name as the GUI's store holds them ("irq_handler_entry" -> n).
std::map<std::string, std::uint64_t> eventsByName(const EventStore& store);

} // namespace irqlens::gui::test
