#pragma once

namespace geo {

struct Vec2 {
  double x = 0;
  double y = 0;
};

double dot(const Vec2& a, const Vec2& b);
Vec2 add(const Vec2& a, const Vec2& b);

}  // namespace geo
