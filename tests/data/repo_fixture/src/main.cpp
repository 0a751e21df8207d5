#include "geometry/shape.h"

int main() {
  geo::Circle circle;
  geo::Rect rect;
  // TODO: draw the shapes on a Canvas
  return circle.area() > rect.area() ? 0 : 1;
}
