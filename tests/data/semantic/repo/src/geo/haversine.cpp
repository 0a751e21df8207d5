#include <cmath>

// Great-circle distance in kilometres between two latitude/longitude pairs
// on a sphere the size of the Earth.
double haversineKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRadius = 6371.0;
  constexpr double kRad = M_PI / 180.0;
  double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kRadius * std::asin(std::sqrt(a));
}
