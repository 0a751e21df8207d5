#include "geometry/shape.h"

#include <vector>

namespace render {

class Canvas {
 public:
  void addShape(const geo::Shape* shape) { shapes_.push_back(shape); }
  double totalArea() const {
    double sum = 0;
    for (const geo::Shape* s : shapes_) sum += s->area();
    return sum;
  }
  geo::Vec2 centre() const { return geo::add(geo::Vec2{}, geo::Vec2{0.5, 0.5}); }

 private:
  std::vector<const geo::Shape*> shapes_;
};

}  // namespace render
