#pragma once

#include "geometry/vector.h"

namespace geo {

class Shape {
 public:
  virtual ~Shape() = default;
  virtual double area() const = 0;
  Vec2 origin;
};

class Circle : public Shape {
 public:
  double radius = 1;
  double area() const override { return 3.14159 * radius * radius; }
};

class Rect : public Shape {
 public:
  Vec2 size;
  double area() const override { return dot(size, Vec2{1, 0}) * dot(size, Vec2{0, 1}); }
};

}  // namespace geo
