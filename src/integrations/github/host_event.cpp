#include "integrations/github/host_event.h"

namespace codecrew::integrations::github {

bool hasWriteAccess(const std::string& association) {
  return association == "OWNER" || association == "MEMBER" || association == "COLLABORATOR";
}

}  // namespace codecrew::integrations::github
