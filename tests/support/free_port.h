// freeLoopbackPort: a TCP port of 127.0.0.1 the kernel had free a moment ago
// (bound to port 0, read and released), for a listener a test configures
// by address rather than port 0. Another process may take it in between;
// tests that use it run their server at once.
#pragma once

namespace codecrew::testing {

int freeLoopbackPort();

}  // namespace codecrew::testing
