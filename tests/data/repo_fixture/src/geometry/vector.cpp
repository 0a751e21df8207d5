#include "geometry/vector.h"

namespace geo {

double dot(const Vec2& a, const Vec2& b) { return a.x * b.x + a.y * b.y; }

Vec2 add(const Vec2& a, const Vec2& b) { return Vec2{a.x + b.x, a.y + b.y}; }

}  // namespace geo
