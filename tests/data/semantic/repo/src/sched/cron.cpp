#include <ctime>
#include <set>
#include <string>

// One field of a crontab line ("*/15", "1,5", "*") as the set of values it allows.
std::set<int> expandField(const std::string& field, int lo, int hi);

// The first minute after `from` that matches the schedule's minute and hour
// fields: when the job fires next.
std::time_t nextFireTime(const std::set<int>& minutes, const std::set<int>& hours, std::time_t from) {
  std::time_t t = from - from % 60 + 60;
  for (int i = 0; i < 60 * 24 * 366; ++i, t += 60) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    if (minutes.count(tm.tm_min) && hours.count(tm.tm_hour)) return t;
  }
  return -1;
}
