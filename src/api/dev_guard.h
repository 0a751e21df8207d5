// DevGuard: `serve --dev` answers without API keys, so it must answer the
// developer's own tools and browser tabs on this machine and nothing else,
// in every sense of loopback:
//  - the Host header must name localhost or a loopback address (a page of
//    another site that rebinds its DNS name to 127.0.0.1 sends its own name);
//  - a request that changes state (any method but GET, HEAD and OPTIONS) or
//    opens a WebSocket is refused when its Origin is another site's (another
//    host, or another port of this one), and so is one a browser marks
//    Sec-Fetch-Site: cross-site; a session file's PUT (a text body) too.
// Bodies of every mutating route but a session file's PUT must be
// application/json (the HTTP layer answers 415), so a cross-site form or
// text/plain "simple request" is refused before it gets here.
// Refusals are kPermissionDenied (403).
// Thread-safety: a pure function.
#pragma once

#include "core/result.h"
#include "http/request.h"

namespace codecrew::api {

core::Status checkDevRequest(const http::Request& req);

}  // namespace codecrew::api
