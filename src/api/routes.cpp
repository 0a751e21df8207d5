#include "api/routes.h"

namespace codecrew::api {

void registerRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx,
                    const std::function<void(http::Router&)>& extra) {
  registerWorkflowRoutes(router, ctx);
  registerJiraRoutes(router, ctx);
  registerExecutionRoutes(router, ctx);
  registerApprovalRoutes(router, ctx);
  registerConversationRoutes(router, ctx);
  registerSearchRoutes(router, ctx);
  registerOutputRoutes(router, ctx);
  registerEventRoutes(router, ctx);
  registerCrewCodeRoutes(router, ctx);
  registerCrewRoutes(router, ctx);
  registerWebhookRoutes(router, ctx);
  registerWebRoutes(router, ctx);
  if (extra) extra(router);
  registerSystemRoutes(router, ctx);
}

}  // namespace codecrew::api
