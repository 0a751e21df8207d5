#include "engine/execution_service.h"

namespace codecrew::engine {

std::string_view originName(StartOrigin origin) {
  switch (origin) {
    case StartOrigin::kApi: return "api";
    case StartOrigin::kCrewCode: return "crewcode";
    case StartOrigin::kCrewModel: return "crew_model";
    case StartOrigin::kCli: return "cli";
    case StartOrigin::kCodeHost: return "code_host";
  }
  return "api";
}

}  // namespace codecrew::engine
