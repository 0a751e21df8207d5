#include "store/models.h"

namespace codecrew::store {

std::string_view roleName(Role r) {
  switch (r) {
    case Role::kAdmin: return "admin";
    case Role::kMember: return "member";
    case Role::kViewer: return "viewer";
  }
  return "viewer";
}

std::optional<Role> parseRole(std::string_view s) {
  if (s == "admin") return Role::kAdmin;
  if (s == "member") return Role::kMember;
  if (s == "viewer") return Role::kViewer;
  return std::nullopt;
}

}  // namespace codecrew::store
