#include "api/routes.h"

namespace codecrew::api {

void registerRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx) {
  registerWorkflowRoutes(router, ctx);
  registerExecutionRoutes(router, ctx);
  registerConversationRoutes(router, ctx);
  registerOutputRoutes(router, ctx);
  registerSystemRoutes(router, ctx);
}

}  // namespace codecrew::api
