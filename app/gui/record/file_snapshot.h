// A private copy of a trace.dat that a recorder is still writing.  The live
// view loads the copy, never the file itself: the recorder compacts and
// truncates its file when it stops, and a reader that still maps the old
// length (libtracecmd's EventSource behind the event table) would get SIGBUS.
#pragma once

#include <string>

namespace irqlens::gui {

// Copies `from` to `to` with the same length, copying only the data extents
// (SEEK_DATA / SEEK_HOLE): a recording's file reserves gigabytes of holes.
// The writer updates the CPU table after the pages it covers and the table
// lies before the pages, so copying in file order gives a consistent file.
// Returns an empty string, or one line naming the file and the problem.
std::string snapshotSparseFile(const std::string& from, const std::string& to);

} // namespace irqlens::gui
