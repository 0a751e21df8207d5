// Naming and prioritising the calling thread, for the process's long-lived
// threads (the HTTP server's I/O threads, the gateway's call-record writer).
// Linux only, as the rest of the product; both are best effort.
// Thread-safety: each call affects only the calling thread.
#pragma once

#include <string_view>

namespace codecrew::core {

// Names the calling thread as top -H, ps -L and gdb show it. Linux keeps at
// most 15 bytes; longer names are cut.
void nameThisThread(std::string_view name);

// Raises the calling thread's nice value by `steps` (1..19): when it and
// other threads want the same cores, the others run first. For background
// work that must not delay requests (a batch of call records). False if the
// system refused.
bool lowerThisThreadPriority(int steps);

}  // namespace codecrew::core
